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
