"""An argkit map as Argdown text that :func:`argkit.argdown.parse_argdown` reads back into an equal map."""

from __future__ import annotations

import re
from typing import Any

from argkit.argdown.to_map import ARGUMENT_TAG, QUOTE_META, SOURCE_META
from argkit.errors import ArgdownWriteError
from argkit.model import ArgumentMap, Node, Relation

__all__ = ["generate_argdown"]

_PLAIN_TAG_RE = re.compile(r"[\w-]+\Z")
_TEXT_SPECIALS = set("\\[]<>{}#")


def _escape(text: str, extra: str = "") -> str:
    out = []
    for i, ch in enumerate(text):
        if ch in _TEXT_SPECIALS or ch in extra or (ch == "/" and text[i + 1:i + 2] in ("/", "*")):
            out.append("\\" + ch)
        else:
            out.append(ch)
    return "".join(out)


def _yq(s: str) -> str:
    """A YAML double-quoted scalar that PyYAML reads back exactly (and that holds no comment
    markers: '/' and '<' are escaped)."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch in '"\\/':
            out.append("\\" + ch)
        elif ch == "<":
            out.append("\\u003c")
        elif (0x20 <= o <= 0x7E or (0xA0 <= o <= 0xD7FF and ch not in "\u2028\u2029")
              or (0xE000 <= o <= 0xFFFD and o != 0xFEFF)):
            out.append(ch)
        elif o <= 0xFFFF:
            out.append(f"\\u{o:04x}")
        else:
            out.append(f"\\U{o:08x}")
    out.append('"')
    return "".join(out)


def _flow(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, str):
        return _yq(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_flow(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f"{k}: {_flow(x)}" for k, x in v.items() if x is not None) + "}"
    raise ArgdownWriteError(f"cannot write {type(v).__name__} as Argdown metadata")


def _plain_tag(t: str) -> str | None:
    if _PLAIN_TAG_RE.match(t):
        return f"#{t}"
    if t and t == t.strip() and "\n" not in t and "\r" not in t:
        return "#(" + _escape(t, "()") + ")"
    return None


def _line_safe(text: str) -> bool:
    return bool(text) and text == text.strip() and "\n" not in text and "\r" not in text \
        and "  " not in text


def _element_text(m: ArgumentMap, n: Node, define: bool) -> str:
    bracket = ("<", ">") if ARGUMENT_TAG in n.tags else ("[", "]")
    head = f"{bracket[0]}{n.id}{bracket[1]}"
    if not define:
        return head
    tags = list(n.tags)
    if tags and tags[0] == ARGUMENT_TAG:
        tags = tags[1:]
    meta: dict[str, Any] = {}
    body = ""
    if _line_safe(n.text):
        body = _escape(n.text)
    else:
        meta["text"] = n.text
    written = [_plain_tag(t) for t in tags]
    if any(w is None for w in written):
        meta["tags"] = tags
        written = []
    meta.update(author=n.author, source=n.source, basis=n.basis, link=n.link, added_by=n.added_by)
    if n.quote is not None:
        meta["quote"] = {k: getattr(n.quote, k) for k in QUOTE_META}
    parts = [f"{head}:", body, *[w for w in written if w]]
    if any(v is not None for v in meta.values()):
        parts.append(_flow(meta))
    return " ".join(p for p in parts if p)


_STANCE_SYMBOL = {"pro": "+", "con": "-"}


def generate_argdown(m: ArgumentMap) -> str:
    """The map as Argdown text that :func:`parse_argdown` reads back into an equal map.

    The map's title and its ``argkit:`` details (description, sources, and the node order when it
    is not the reading order of the trees) go in the front matter;
    each contention starts a tree whose children are written ``+ [id]: text`` (pro) or
    ``- [id]: text`` (con); cross-relations follow as ``[from]`` with ``+> [to]``, ``-> [to]`` or
    ``_> [to]``. Fields Argdown has no syntax for go in ``{...}`` metadata.

    Example:
        >>> from argkit.model import ArgumentMap, Node
        >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."), Node("r", "Tasty.", parent="t", stance="pro")))
        >>> print(generate_argdown(m), end="")
        ===
        title: "Tea"
        ===
        <BLANKLINE>
        [t]: Tea is good.
          + [r]: Tasty.

    Raises:
        ArgdownWriteError: The map has a parent that is not in it (an overlay not merged with
            :func:`argkit.load`), a loop of parents, or a duplicate relation.
    """
    known = {n.id for n in m.nodes}
    for n in m.nodes:
        if n.parent is not None and n.parent not in known:
            raise ArgdownWriteError(f"node {n.id!r} has parent {n.parent!r}, which is not in the map; "
                                    "load an overlay with argkit.load so that it is merged with its base")
    tree_edges = {(n.id, "supports" if n.stance == "pro" else "attacks", n.parent)
                  for n in m.nodes if n.parent is not None}
    seen_rel: set[Relation] = set()
    for r in m.relations:
        for end in (r.from_id, r.to_id):
            if end not in known:
                raise ArgdownWriteError(f"the relation {r.from_id} {r.type} {r.to_id} names {end!r}, which is "
                                        "not in the map; load an overlay with argkit.load, or fix the relation")
        if r in seen_rel or (r.from_id, r.type, r.to_id) in tree_edges:
            raise ArgdownWriteError(f"the relation {r.from_id} {r.type} {r.to_id} is written twice (or "
                                    "repeats a parent link); Argdown merges repeated relations")
        seen_rel.add(r)
    out = ["===", f"title: {_yq(m.title)}"]
    extra: dict[str, Any] = {"description": m.description, "extends": m.extends}
    if m.reference:
        extra["reference"] = True
    if m.sources:
        extra["sources"] = [{k: getattr(s, k) for k in SOURCE_META} for s in m.sources]
    walk = list(m.walk())
    if len(walk) != len(m.nodes):
        raise ArgdownWriteError("the parents form a loop, so the map is not a tree; "
                                "run argkit.validate(m) to find it")
    if [n.id for n, _ in walk] != [n.id for n in m.nodes]:
        # The trees are written in reading order; the map's own node order comes back from here.
        extra["order"] = [n.id for n in m.nodes]
    if any(v is not None for v in extra.values()):
        out.append(f"argkit: {_flow(extra)}")
    out += ["===", ""]
    for root in m.roots:
        for n, depth in m.walk(root.id):
            if depth == 0:
                out.append(_element_text(m, n, True))
            else:
                out.append("  " * depth + _STANCE_SYMBOL[n.stance or "pro"] + " "
                           + _element_text(m, n, True))
        out.append("")
    symbol = {"supports": "+>", "attacks": "->", "undercuts": "_>"}
    for r in m.relations:
        if r.type not in symbol:
            raise ArgdownWriteError(f"unknown relation type {r.type!r} (must be one of 'supports', "
                                    "'attacks', 'undercuts')")
        out += [_element_text(m, m.node(r.from_id), False),
                f"  {symbol[r.type]} {_element_text(m, m.node(r.to_id), False)}", ""]
    return "\n".join(out[:-1] if out[-1] == "" else out) + "\n"

