"""Hypothesis strategies for argument maps, shared by the test modules.

``argument_maps()`` draws *valid* maps (``argkit.validate`` finds nothing): a tree of pro/con
claims (some of them evidence), linked co-premise groups of two or more siblings, and
cross-relations (``supports``, ``attacks``, ``undercuts``) between arbitrary claims, so cycles of
attacks through relations (self-attacks included) come up often.
"""

from __future__ import annotations

from hypothesis import strategies as st

from argkit.model import BASES, ArgumentMap, Node, Quote, Relation, Source

__all__ = ["AUTHORS", "SOURCES", "argument_maps", "claim_texts"]

AUTHORS = ("Michael Cox", "Charles Kupchan", "Sergey Radchenko", "Bobo Lo", None)
SOURCES = (
    Source("cox2022", author="Michael Cox", title="Not so 'Limitless'", year=2022),
    Source("kupchan2021", author="Charles Kupchan", year=2021),
)
_ALPHABET = st.characters(
    codec="utf-8",
    categories=("L", "N", "P", "S", "Zs"),
    exclude_characters="\u2028\u2029\x85\xa0",
)


def claim_texts(max_size: int = 40) -> st.SearchStrategy[str]:
    """Claim texts: letters, digits, punctuation and symbols (``<>&"'`` included), one line."""
    return st.text(_ALPHABET, min_size=1, max_size=max_size).filter(lambda s: s.strip() != "")


@st.composite
def argument_maps(
    draw: st.DrawFn,
    max_nodes: int = 12,
    *,
    texts: st.SearchStrategy[str] | None = None,
    links: bool = True,
    relations: bool = True,
    undercuts: bool = True,
    roots: int = 2,
) -> ArgumentMap:
    """A valid map of 1 to ``max_nodes`` claims.

    Args:
        max_nodes: The largest number of claims.
        texts: Strategy for claim texts (default :func:`claim_texts`).
        links: Draw linked co-premise groups.
        relations: Draw cross-relations (``supports`` and ``attacks``).
        undercuts: Also draw ``undercuts`` relations (needs ``relations``).
        roots: The largest number of contentions.
    """
    texts = texts if texts is not None else claim_texts()
    n = draw(st.integers(1, max_nodes))
    parents: list[int | None] = [None]
    stances: list[str | None] = [None]
    n_roots = 1
    for i in range(1, n):
        if n_roots < roots and draw(st.integers(0, 9)) == 0:
            parents.append(None)
            stances.append(None)
            n_roots += 1
        else:
            parents.append(draw(st.integers(0, i - 1)))
            stances.append(draw(st.sampled_from(("pro", "con"))))

    # Linked groups: among siblings with the same stance, link some runs of two or more.
    link_of: list[str | None] = [None] * n
    if links:
        by_parent: dict[tuple[int | None, str | None], list[int]] = {}
        for i in range(1, n):
            if parents[i] is not None:
                by_parent.setdefault((parents[i], stances[i]), []).append(i)
        for g, ((p, stance), kids) in enumerate(sorted(by_parent.items(), key=lambda kv: kv[1][0])):
            if len(kids) >= 2 and draw(st.booleans()):
                size = draw(st.integers(2, len(kids)))
                for i in kids[:size]:
                    link_of[i] = f"g{g}_{p}_{stance}"

    nodes = []
    for i in range(n):
        stance = stances[i]
        basis = None
        if stance == "pro" and link_of[i] is None and draw(st.integers(0, 3)) == 0:
            basis = draw(st.sampled_from(BASES))
        quote = None
        if draw(st.integers(0, 4)) == 0:
            quote = Quote(draw(texts), endnote=str(draw(st.integers(1, 99))))
        nodes.append(Node(
            id=f"n{i}",
            text=draw(texts),
            parent=None if parents[i] is None else f"n{parents[i]}",
            stance=stance,
            author=draw(st.sampled_from(AUTHORS)),
            source=draw(st.sampled_from((None, *(s.id for s in SOURCES)))),
            quote=quote,
            basis=basis,
            link=link_of[i],
            added_by=draw(st.sampled_from((None, None, "ana", "ben"))),
        ))

    rels: list[Relation] = []
    if relations and n >= 1:
        types = ("attacks", "attacks", "supports") + (("undercuts",) if undercuts else ())
        for _ in range(draw(st.integers(0, max(1, n)))):
            kind = draw(st.sampled_from(types))
            a = draw(st.integers(0, n - 1))
            b = draw(st.integers(0, n - 1))
            if kind == "undercuts" and parents[b] is None:
                continue  # a contention has no inference to undercut
            rels.append(Relation(f"n{a}", kind, f"n{b}"))
    return ArgumentMap(title="Generated", nodes=tuple(nodes), relations=tuple(rels), sources=SOURCES)


# -- mutated files, for the fuzz suite ---------------------------------------------------------
# Fragments that broke argkit or that a hostile or careless file carries: control and bidi bytes,
# YAML tags, anchors, flow syntax, escapes of lone surrogates, dates that are not dates, huge
# numbers, references to files that are not maps, and Argdown syntax.
FUZZ_TOKENS: tuple[bytes, ...] = (
    b"\x00", b"\x07", b"\x1b[2J", b"\x1b]0;t\x07", b"\t", b"\r", b"\r\n", b"\xff", b"\xfe", b"\xc2\x85",
    "\u202e".encode(), "\u2028".encode(), "\ufeff".encode(), b"\xef\xbf\xbe", b": ", b"- ", b"#", b"&a ",
    b"*a", b"!!int ", b"!!bool ", b"!!float ", b"!!timestamp ", b"!!binary ", b"!!set ", b"!!str ",
    b"!!python/object:os.system ", b"{", b"}", b"[", b"]", b"\"", b"'", b"\"\\ud800\"", b"\"\\x1b[2J\"",
    b"\"\\0\"", b"2001-13-45", b"2001-12-14", b"9" * 4400, b"~", b"null", b"true", b"yes", b"on",
    b"maybe", b"abc", b"? ", b"|", b">", b"%YAML 1.1\n", b"---\n", b"...\n", b"\n", b"<<: ", b"=",
    b"0x1F", b".nan", b"1e999", b"-.inf", b"{a: " * 80, b"[" * 80,
    b"\nextends: /etc/passwd\n", b"\nextends: /dev/zero\n", b"\nextends: fifo.yaml\n",
    b"\nextends: loop.yaml\n", b"\nextends: " + b"x" * 300 + b".yaml\n", b"\nextends: base.yaml\n",
    b"\nreference: true\n", b"\nargkit: 2\n", b"\nargkit: true\n", b"\nlink: g\n",
    b"\nrelations:\n- from: a\n  type: attacks\n  to: b\n", b"parent: ", b"stance: ", b"id: ",
    b"[a]: ", b"<A>: ", b"\n  + ", b"\n  - ", b"\n  <+ ", b"\n  <- ", b"\n  _> ", b"\n===\n",
    b"\nargkit: {sources: [{id: null}]}\n", b"#tag ", b"@[a]", b"(1) ", b"\n----\n",
)
FUZZ_VALUES: tuple[bytes, ...] = (
    b"", b"x", b"2001-13-45", b"!!bool maybe", b"!!float abc", b"!!int abc", b"!!timestamp x",
    b"9" * 4400, b"\"a\\ud800b\"", b"\"\\x1b]0;owned\\x07\"", b"\"\\u202eevil\"", b"[a, b]", b"{a: 1}",
    b"t", b"pro", b"con", b"nowhere", b"null", b"true", b"1", b"-1", b"1.5", b"&a x", b"*a",
    b"/etc/passwd", b"/proc/self/environ", b"fifo.yaml", b"base.yaml", b"\"" + b"q" * 20000 + b"\"",
)


def mutate(data: bytes, pick) -> bytes:
    """Apply a few random edits to ``data``; ``pick(lo, hi)`` chooses an integer in ``[lo, hi]``.

    The same function serves Hypothesis (``pick`` draws, so failures shrink) and the fuzz
    campaign script (``pick`` is ``random.Random.randint``).
    """
    for _ in range(pick(1, 4)):
        n = len(data)
        op = pick(0, 7)
        at = pick(0, n) if n else 0
        if op == 0:  # insert a token
            data = data[:at] + FUZZ_TOKENS[pick(0, len(FUZZ_TOKENS) - 1)] + data[at:]
        elif op == 1 and n:  # delete a span
            data = data[:at] + data[at + pick(1, 40):]
        elif op == 2 and n:  # duplicate a span (duplicate keys and ids)
            span = data[at:at + pick(1, 400)]
            data = data[:at] + span * pick(1, 3) + data[at:]
        elif op == 3:  # replace a value
            lines = data.split(b"\n")
            i = pick(0, len(lines) - 1)
            key, sep, _ = lines[i].partition(b": ")
            if sep:
                lines[i] = key + sep + FUZZ_VALUES[pick(0, len(FUZZ_VALUES) - 1)]
            data = b"\n".join(lines)
        elif op == 4:  # swap two lines
            lines = data.split(b"\n")
            i, j = pick(0, len(lines) - 1), pick(0, len(lines) - 1)
            lines[i], lines[j] = lines[j], lines[i]
            data = b"\n".join(lines)
        elif op == 5:  # random bytes
            data = data[:at] + bytes(pick(0, 255) for _ in range(pick(1, 6))) + data[at:]
        elif op == 6:  # re-indent a line
            lines = data.split(b"\n")
            i = pick(0, len(lines) - 1)
            lines[i] = b"  " + lines[i] if pick(0, 1) else lines[i][2:]
            data = b"\n".join(lines)
        elif op == 7 and n:  # truncate
            data = data[:at]
    return data


@st.composite
def mutated_files(draw: st.DrawFn, seeds: tuple[bytes, ...]) -> bytes:
    """One of ``seeds`` with a few hostile edits (see :func:`mutate`)."""
    seed = seeds[draw(st.integers(0, len(seeds) - 1))]
    return mutate(seed, lambda lo, hi: draw(st.integers(lo, hi)))
