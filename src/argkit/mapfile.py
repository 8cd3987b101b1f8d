"""The ``.yaml`` map file format: parse and generate text, read and write files atomically.

A map file looks like this (every key but ``title`` and ``nodes`` is optional)::

    argkit: 1
    title: Tea
    sources:
    - id: blog
      author: A. Writer
    nodes:
    - id: t
      text: Tea is good.
    - id: r
      parent: t
      stance: pro
      text: It is tasty.
      quote:
        text: tasty
        endnote: 3

Example:
    >>> m = parse_map("title: Tea\\nnodes:\\n- id: t\\n  text: Tea is good.\\n")
    >>> m.root.text
    'Tea is good.'
    >>> print(generate_map(m), end="")
    argkit: 1
    title: Tea
    nodes:
    - id: t
      text: Tea is good.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml

from argkit._io import MAX_BYTES, YamlList, YamlMap, atomic_write, diag, read_text, read_yaml
from argkit._suggest import nearest
from argkit._text import shorten
from argkit.errors import Diagnostic, InvalidMapError
from argkit.model import ArgumentMap, Node, Quote, Relation, Source
from argkit.validate import check_map

__all__ = [
    "FORMAT_VERSION",
    "MAX_BYTES",
    "generate_map",
    "parse_map",
    "parse_structure",
    "read_map",
    "write_map",
]

FORMAT_VERSION = 1

TOP_FIELDS = ("argkit", "title", "description", "reference", "extends", "extends_fingerprint", "sources",
              "nodes", "relations")
NODE_FIELDS = (
    "id", "parent", "stance", "basis", "link", "author", "source", "text", "quote", "tags", "added_by",
)
QUOTE_FIELDS = ("text", "source", "endnote", "page")
SOURCE_FIELDS = ("id", "author", "title", "publisher", "year", "url", "note")
RELATION_FIELDS = ("from", "type", "to")


# -- building the model ----------------------------------------------------------------------
class _Builder:
    def __init__(self, path: str | None):
        self.path = path
        self.problems: list[Diagnostic] = []
        self.locations: dict[tuple[Any, ...], tuple[int, int]] = {}

    def add(self, pos: tuple[int, int] | None, message: str, **kw: Any) -> None:
        self.problems.append(diag(self.path, pos, message, **kw))

    def fields(self, m: Any, allowed: tuple[str, ...], where: str, loc: tuple[Any, ...],
               pos: tuple[int, int] | None = None) -> YamlMap | None:
        if not isinstance(m, YamlMap):
            self.add(getattr(m, "pos", pos), f"{where} must be a mapping of 'key: value' lines", got=_short(m),
                     code="wrong-type", fix=f"write {where} as indented 'key: value' lines")
            return None
        for key in m:
            if key not in allowed:
                near = nearest(key, allowed, cutoff=0.6)
                self.add(m.key_pos[key], f"unknown field '{key}' in {where}", got=key, choices=allowed,
                         code="unknown-field",
                         fix=f"did you mean '{near}'?" if near else "remove it or fix its name")
        for key in m:
            self.locations[(*loc, key)] = m.key_pos[key]
        self.locations[(*loc, "")] = m.pos
        return m

    def scalar(self, m: YamlMap, key: str, where: str, types: tuple[type, ...] = (str,)) -> Any:
        if key not in m or m[key] is None:
            return None
        v = m[key]
        if str in types and isinstance(v, (int, float)) and not isinstance(v, bool) and int in types:
            return str(v)
        if (isinstance(v, bool) and bool not in types) or not isinstance(v, types):
            names = " or ".join({str: "text", int: "a whole number", bool: "true/false"}[t] for t in types)
            self.add(m.val_pos[key], f"'{key}' in {where} must be {names}", got=_short(v),
                     code="wrong-type", fix=f"write {key}: followed by {names}")
            return None
        return v

    def text(self, m: YamlMap, key: str, where: str) -> Any:
        v = m.get(key)
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return str(v)  # "text: 1914" is a fine claim
        return self.scalar(m, key, where)

    def build(self, data: Any) -> ArgumentMap:
        if not isinstance(data, YamlMap):
            self.add(getattr(data, "pos", (1, 1)), "a map file must be a mapping with 'title:' and 'nodes:'",
                     got=_short(data),
                     code="wrong-top-level",
                     fix="start the file with 'title: ...' and a 'nodes:' list")
            return ArgumentMap(title="")
        self.fields(data, TOP_FIELDS, "the map", ("",))
        version = data.get("argkit", FORMAT_VERSION)
        if isinstance(version, bool) or version != FORMAT_VERSION:  # True == 1 in Python
            self.add(data.val_pos["argkit"], "unsupported format version", got=_short(version),
                     choices=(str(FORMAT_VERSION),), code="version",
                     fix=f"write 'argkit: {FORMAT_VERSION}' or update argkit")
        title = self.text(data, "title", "the map")
        if not title:
            self.add(data.pos, "the map has no title", code="missing-title",
                     fix="add a line 'title: ...' at the top")
        reference = self.scalar(data, "reference", "the map", (bool,)) or False
        sources = tuple(self.items(data, "sources", SOURCE_FIELDS, self.source))
        nodes = tuple(self.items(data, "nodes", NODE_FIELDS, self.node))
        relations = tuple(self.items(data, "relations", RELATION_FIELDS, self.relation))
        if "nodes" not in data:
            self.add(data.pos, "the map has no 'nodes:' list", code="missing-nodes",
                     fix="add 'nodes:' with at least the contention")
        return ArgumentMap(
            title=title or "",
            nodes=nodes,
            relations=relations,
            sources=sources,
            description=self.text(data, "description", "the map"),
            extends=self.scalar(data, "extends", "the map"),
            extends_fingerprint=self.scalar(data, "extends_fingerprint", "the map"),
            reference=reference,
            path=self.path,
            locations=self.locations,
        )

    def items(self, data: YamlMap, key: str, allowed: tuple[str, ...], make: Any) -> list[Any]:
        seq = data.get(key)
        if seq is None:
            return []
        if not isinstance(seq, YamlList):
            self.add(data.val_pos[key], f"'{key}' must be a list of entries, each starting with '- '",
                     got=_short(seq), code="wrong-type", fix=f"write each entry of {key} as '- id: ...'")
            return []
        out = []
        for i, item in enumerate(seq):
            where = f"{key} entry {i + 1}"
            m = self.fields(item, allowed, where, (key, i), seq.item_pos[i])
            if m is None:
                continue
            made = make(m, where)
            if made is not None:
                out.append(made)
        return out

    def source(self, m: YamlMap, where: str) -> Source | None:
        sid = self.text(m, "id", where)
        if sid is None:
            self.add(m.pos, f"{where} has no 'id'", code="missing-id", fix="add 'id: short-name'")
            return None
        return Source(
            id=sid,
            author=self.text(m, "author", where),
            title=self.text(m, "title", where),
            publisher=self.text(m, "publisher", where),
            year=self.scalar(m, "year", where, (int,)),
            url=self.text(m, "url", where),
            note=self.text(m, "note", where),
        )

    def node(self, m: YamlMap, where: str) -> Node | None:
        nid = self.text(m, "id", where)
        if nid is None:
            self.add(m.pos, f"{where} has no 'id'", code="missing-id",
                     fix="add 'id: short_name' (letters, digits, '_' or '-')")
            return None
        where = f"node '{nid}'"
        text = self.text(m, "text", where)
        quote = None
        if m.get("quote") is not None:
            q = self.fields(m["quote"], QUOTE_FIELDS, f"the quote of {where}", ("quote-of", nid))
            if q is not None:
                qtext = self.text(q, "text", f"the quote of {where}")
                if not qtext:
                    self.add(q.pos, f"the quote of {where} has no 'text'", code="missing-text",
                             fix="add 'text:' with the exact words of the source, or remove the quote")
                quote = Quote(
                    text=qtext or "",
                    endnote=self.scalar(q, "endnote", f"the quote of {where}", (str, int)),
                    page=self.scalar(q, "page", f"the quote of {where}", (str, int)),
                    source=self.text(q, "source", f"the quote of {where}"),
                )
        tags: tuple[str, ...] = ()
        if m.get("tags") is not None:
            raw = m["tags"]
            if isinstance(raw, list) and all(isinstance(t, str) for t in raw):
                tags = tuple(raw)
            else:
                self.add(m.val_pos["tags"], f"'tags' of {where} must be a list of words",
                         got=_short(raw), code="wrong-type", fix="write tags: [word, other-word]")
        return Node(
            id=nid,
            # a text of the wrong type was reported already: not "has no text" as well
            text=text if text is not None else _short(m["text"]) if m.get("text") is not None else "",
            parent=self.text(m, "parent", where),
            stance=self.text(m, "stance", where),
            author=self.text(m, "author", where),
            source=self.text(m, "source", where),
            quote=quote,
            basis=self.text(m, "basis", where),
            link=self.text(m, "link", where),
            tags=tags,
            added_by=self.text(m, "added_by", where),
        )

    def relation(self, m: YamlMap, where: str) -> Relation | None:
        parts = [self.text(m, k, where) for k in RELATION_FIELDS]
        for k, v in zip(RELATION_FIELDS, parts, strict=True):
            if v is None:
                self.add(m.pos, f"{where} has no '{k}'", code="missing-field",
                         fix="write a relation as 'from: ID', 'type: attacks', 'to: ID'")
        if None in parts:
            return None
        return Relation(from_id=parts[0], type=parts[1], to_id=parts[2])


def _short(v: Any) -> str:
    if isinstance(v, dict):
        return "a mapping"
    if isinstance(v, list):
        return "a list"
    return shorten(v if isinstance(v, str) else repr(v))


def parse_structure(text: str, path: str | None) -> tuple[ArgumentMap, list[Diagnostic]]:
    """The map and its structural problems (YAML shape, fields, types), without the semantic checks."""
    problems: list[Diagnostic] = []
    data = read_yaml(text, path, problems)
    b = _Builder(path)
    b.problems = problems
    return b.build(data), problems


def semantic_problems(m: ArgumentMap, structural: list[Diagnostic]) -> list[Diagnostic]:
    """The model-level problems of a freshly parsed map, minus echoes of structural ones."""
    found = check_map(m, overlay=m.extends is not None)
    if structural:  # "no claims" after "nodes is not a list" says nothing new
        found = [d for d in found if d.code not in ("no-nodes", "no-contention")]
    return found


def parse_map(text: str, path: str | os.PathLike[str] | None = None) -> ArgumentMap:
    """Parse map text as written (an overlay stays unmerged; see :func:`load`).

    Raises:
        MapSyntaxError: If the text is not readable YAML.
        InvalidMapError: If the YAML does not describe a valid map (all problems at once).
    """
    p = None if path is None else str(path)
    m, problems = parse_structure(text, p)
    problems += semantic_problems(m, problems)
    if problems:
        raise InvalidMapError(problems)
    return m


def generate_map(m: ArgumentMap) -> str:
    """The canonical text of a map: fixed key order, so re-saving changes nothing."""
    out: dict[str, Any] = {"argkit": FORMAT_VERSION, "title": m.title}
    if m.description:
        out["description"] = m.description
    if m.reference:
        out["reference"] = True
    if m.extends:
        out["extends"] = m.extends
        if m.extends_fingerprint:
            out["extends_fingerprint"] = m.extends_fingerprint
    if m.own_sources():
        out["sources"] = [_drop_none({f: getattr(s, f) for f in SOURCE_FIELDS}) for s in m.own_sources()]
    out["nodes"] = [_node_dict(n) for n in m.own_nodes()]
    relations = m.own_relations()
    if relations:
        out["relations"] = [{"from": r.from_id, "type": r.type, "to": r.to_id} for r in relations]
    return yaml.dump(out, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=96,
                     default_flow_style=False)


def _number_or_text(v: str | None) -> int | str | None:
    return int(v) if v is not None and v.isdigit() and str(int(v)) == v else v


def _node_dict(n: Node) -> dict[str, Any]:
    d: dict[str, Any] = {f: getattr(n, f) for f in NODE_FIELDS}
    if n.quote is not None:
        d["quote"] = _drop_none({
            "text": n.quote.text, "source": n.quote.source,
            "endnote": _number_or_text(n.quote.endnote), "page": _number_or_text(n.quote.page),
        })
    d["tags"] = list(n.tags) or None
    return _drop_none(d)


def _drop_none(d: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


class _Dumper(yaml.SafeDumper):
    pass


def _list_flow_if_short(dumper: yaml.SafeDumper, data: list[Any]) -> Any:
    flow = all(isinstance(x, str) for x in data)  # tags: [a, b]
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


_Dumper.add_representer(list, _list_flow_if_short)

# YAML reads U+0085 (NEL), U+2028 and U+2029 in plain or single-quoted text as line breaks (so
# "a<NEL>b" came back as "a b"); in double quotes they are written as the escapes \N, \L, \P.
_YAML_BREAKS = frozenset("\x85\u2028\u2029")


def _str_keeping_breaks(dumper: yaml.SafeDumper, data: str) -> Any:
    style = '"' if not _YAML_BREAKS.isdisjoint(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str_keeping_breaks)


# -- files -------------------------------------------------------------------------------------
def read_map(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read one map file as written, without merging the map it extends."""
    p = Path(path)
    return parse_map(read_text(p), p)


def write_map(m: ArgumentMap, path: str | os.PathLike[str]) -> None:
    """Write the map's canonical text to ``path`` atomically (no reference check; see
    :func:`argkit.overlay.save`)."""
    atomic_write(Path(path), generate_map(m).encode("utf-8"))


