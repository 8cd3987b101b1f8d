"""An Argdown document as an argkit map: the tree, cross-relations, co-premises and metadata."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from argkit.argdown.lexer import syntax_error
from argkit.model import ID_PATTERN, ArgumentMap, Node, Quote, Relation, Source

if TYPE_CHECKING:  # the document module imports this one to offer doc.to_map()
    from argkit.argdown.document import ArgdownDocument, ArgdownElement

__all__ = ["ARGUMENT_TAG", "QUOTE_META", "SOURCE_META", "to_map"]

ARGUMENT_TAG = "argument"
QUOTE_META = ("text", "endnote", "page", "source")
SOURCE_META = ("id", "author", "title", "publisher", "year", "url", "note")
# Argdown relation types -> (tree stance, argkit relation type)
_TYPE_MAP = {
    "support": ("pro", "supports"),
    "entails": ("pro", "supports"),
    "attack": ("con", "attacks"),
    "contrary": ("con", "attacks"),
    "contradictory": ("con", "attacks"),
    "undercut": (None, "undercuts"),
}


class _Forest:
    """Parent links that never close a loop, checked in near-constant time per link.

    A child is attached only while it has no parent, so it is the root of its own tree; the link
    closes a loop exactly when the target's tree has that child as its root. Each tree's root is
    kept in a union-find with path halving, so a 914 KB chain no longer takes quadratic time.
    """

    def __init__(self) -> None:
        self.parent: dict[str, tuple[str, str]] = {}
        self._up: dict[str, str] = {}  # union-find: towards the root of the node's tree

    def _root(self, x: str) -> str:
        up = self._up
        while x in up:
            nxt = up[x]
            if nxt in up:
                up[x] = up[nxt]
            x = nxt
        return x

    def attach(self, child: str, target: str, stance: str) -> bool:
        if child in self.parent:
            return False
        root = self._root(target)
        if root == child:
            return False
        self.parent[child] = (target, stance)
        self._up[child] = root
        return True


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def slug(title: str) -> str:
    """A title made into a valid node id (``Statement 1`` -> ``Statement-1``, accents dropped)."""
    if ID_PATTERN.match(title):
        return title
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_).strip("-") or "n"
    return s if ID_PATTERN.match(s) else f"n-{s}"


def unique(base: str, used: set[str]) -> str:
    """``base``, or ``base-2``, ``base-3``... whichever is not in ``used`` (then added to it)."""
    out, k = base, 2
    while out in used:
        out, k = f"{base}-{k}", k + 1
    used.add(out)
    return out


def to_map(doc: ArgdownDocument) -> ArgumentMap:
    """The argkit map of an Argdown document (see :mod:`argkit.argdown` for the mapping).

    The map is not validated here (that is the next stage: :func:`argkit.argdown.parse_argdown`
    does it).

    Raises:
        MapSyntaxError: Front matter or metadata that does not fit a map, with its line.
    """
    front = doc.front_matter
    line = doc.front_matter_line

    def error(message: str, fix: str, got: Any = None) -> Exception:
        return syntax_error(doc.path, line, None, message, fix, got=None if got is None else repr(got)[:60])

    argkit_meta = front.get("argkit") or {}
    if not isinstance(argkit_meta, dict):
        raise error("'argkit:' in the front matter must be a mapping", "write argkit: {description: '...'}")
    raw_sources = argkit_meta.get("sources") or []
    if not isinstance(raw_sources, list):
        raise error("'sources' in the front matter must be a list",
                    "write sources: [{id: cox2022, author: Michael Cox}]", raw_sources)
    reference = argkit_meta.get("reference", front.get("reference", False))
    if not isinstance(reference, bool):
        raise error("'reference' in the front matter must be true or false", "write reference: true", reference)
    sources = [_source(s, error) for s in raw_sources]

    ids = doc.node_ids
    by_key = {(e.kind, e.title): e for e in doc.elements}
    forest = _Forest()
    pending: list[tuple[str, str, str, bool]] = []
    for r in doc.relations:
        stance, rel_type = _TYPE_MAP[r.type]
        src, dst = ids[(r.from_kind, r.from_title)], ids[(r.to_kind, r.to_title)]
        if r.type == "contradictory":
            src, dst = dst, src  # '>< X': X is the child that contradicts the element above
        pending.append((src, rel_type, dst, r.child and stance is not None))
    for el in doc.elements:
        if el.conclusion is not None:
            arg = ids[(el.kind, el.title)]
            pending += [(ids[("statement", p)], "supports", arg, True) for p in el.premises]
            pending.append((arg, "supports", ids[("statement", el.conclusion)], True))
    cross: list[Relation] = []
    seen: set[tuple[str, str, str]] = set()
    parent = forest.parent
    for src, rel_type, dst, tree in pending:
        stance = "pro" if rel_type == "supports" else "con"
        key = (src, rel_type, dst)
        if key in seen or (parent.get(src) == (dst, stance) and rel_type != "undercuts"):
            continue
        seen.add(key)
        if not (tree and forest.attach(src, dst, stance)):
            cross.append(Relation(src, rel_type, dst))
    links: dict[str, str] = {}
    for el in doc.elements:
        if el.conclusion is not None:
            arg = ids[(el.kind, el.title)]
            kids = [ids[("statement", p)] for p in el.premises if parent.get(ids[("statement", p)]) == (arg, "pro")]
            if len(kids) >= 2:
                links.update(dict.fromkeys(kids, arg))
    # An undercut of a contention (no inference to undercut in argkit) is an attack.
    cross = [Relation(r.from_id, "attacks", r.to_id) if r.type == "undercuts" and r.to_id not in parent else r
             for r in cross]

    source_ids = {s.id for s in sources}
    nodes = []
    locations: dict[tuple[Any, ...], tuple[int, int]] = {}
    for i, el in enumerate(doc.elements):
        nid = ids[(el.kind, el.title)]
        conclusion = by_key.get(("statement", el.conclusion)) if el.conclusion is not None else None
        nodes.append(_node(doc, el, nid, parent.get(nid), links.get(nid), conclusion, sources, source_ids))
        locations[("nodes", i, "")] = (el.line, el.column)
    order = argkit_meta.get("order")
    if order is not None:
        ok = isinstance(order, list) and all(isinstance(x, str) for x in order)
        pos = {nid: k for k, nid in enumerate(order)} if ok else {}
        if len(pos) != len(nodes) or len(order) != len(nodes) or any(n.id not in pos for n in nodes):
            raise error("'order' in the front matter must list every node id once",
                        "remove 'order:' (the nodes then come in reading order)")
        perm = sorted(range(len(nodes)), key=lambda k: pos[nodes[k].id])
        nodes = [nodes[k] for k in perm]
        locations = {("nodes", i, ""): locations[("nodes", k, "")] for i, k in enumerate(perm)}
    title = front.get("title")
    return ArgumentMap(
        title=str(title) if title is not None else (Path(doc.path).stem if doc.path else "Argdown map"),
        nodes=tuple(nodes),
        relations=tuple(cross),
        sources=tuple(sources),
        description=_opt_str(argkit_meta.get("description")),
        extends=_opt_str(argkit_meta.get("extends")),
        reference=reference,
        path=doc.path,
        locations=locations,
    )


def _source(s: Any, error: Any) -> Source:
    if not isinstance(s, dict) or not isinstance(s.get("id"), str) or not s["id"].strip():
        raise error("each source in the front matter needs an 'id' (a name such as cox2022)",
                    "write sources: [{id: cox2022, author: Michael Cox}]", s)
    year = s.get("year")
    if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
        raise error(f"the year of source '{s['id']}' must be a whole number", "write year: 2022", year)
    return Source(**{k: _opt_str(s.get(k)) for k in SOURCE_META if k != "year"},  # type: ignore[arg-type]
                  year=year)


def _node(doc: ArgdownDocument, el: ArgdownElement, nid: str, par: tuple[str, str] | None,
          link: str | None, conclusion: ArgdownElement | None, sources: list[Source],
          source_ids: set[str]) -> Node:
    meta: Mapping[str, Any] = el.meta

    def error(message: str, fix: str, got: Any) -> Exception:
        return syntax_error(doc.path, el.line, el.column, message, fix, got=repr(got)[:60])

    text = _opt_str(meta.get("text")) or el.text
    if not text and conclusion is not None:
        text = "Argument for: " + (conclusion.text or conclusion.title)
    text = text or el.title
    tags = list(el.tags)
    extra = meta.get("tags")
    if extra is not None:
        if not isinstance(extra, list):
            raise error("'tags' in metadata must be a list", "write {tags: [one, 'two words']}", extra)
        tags += [str(t) for t in extra]
    if el.kind == "argument" and not el.argument_tag_written and ARGUMENT_TAG not in tags:
        tags.insert(0, ARGUMENT_TAG)
    if el.section and el.section not in tags:
        tags.append(el.section)
    quote = None
    q = meta.get("quote")
    if q is not None:
        if isinstance(q, str):
            q = {"text": q}
        if not isinstance(q, dict) or not q.get("text"):
            raise error("'quote' in metadata needs a 'text'",
                        "write {quote: {text: 'the exact words', endnote: '12'}}", q)
        quote = Quote(**{k: _opt_str(q.get(k)) for k in QUOTE_META})  # type: ignore[arg-type]
    source = _opt_str(meta.get("source"))
    if source is not None and source not in source_ids:
        sid = unique(slug(source), set(source_ids))
        sources.append(Source(sid, note=None if sid == source else source))
        source_ids.add(sid)
        source = sid
    return Node(
        id=nid,
        text=text,
        parent=par[0] if par else None,
        stance=par[1] if par else None,
        author=_opt_str(meta.get("author")),
        source=source,
        quote=quote,
        basis=_opt_str(meta.get("basis")),
        link=_opt_str(meta.get("link")) or link,
        tags=tuple(dict.fromkeys(tags)),
        added_by=_opt_str(meta.get("added_by")),
    )
