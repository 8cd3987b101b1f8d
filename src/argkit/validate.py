"""Validation: every problem in a map at once, as data a notebook or the CLI can show.

The checks here work on maps only; :func:`argkit.validate` (in :mod:`argkit.files`) also reads
files, YAML or Argdown, and turns what cannot be read into diagnostics.

Example:
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap("Demo", (Node("t", "Tea."), Node("r", "Tasty.", parent="t", stance="agianst")))
    >>> for d in check_map(m):
    ...     print(d)
    <map>: unknown stance 'agianst' for node 'r' (got 'agianst') (must be one of 'pro', 'con'); use pro (for) or con (against)
"""

from __future__ import annotations

from typing import Any

from argkit._io import REFUSED, refused_char
from argkit._suggest import Suggester, nearest
from argkit.errors import Diagnostic
from argkit.model import BASES, ID_PATTERN, RELATION_TYPES, STANCES, ArgumentMap

__all__ = ["MAX_TEXT", "check_map"]

MAX_TEXT = 2000


MAX_CHOICES = 20  # a list of valid choices longer than this is not shown in full


class _Checker:
    def __init__(self, m: ArgumentMap):
        self.m = m
        self.out: list[Diagnostic] = []
        self.offset = len(m.base.nodes) if m.base is not None else 0

    def where(self, section: str, i: int, field: str) -> tuple[str | None, int | None, int | None]:
        if section == "nodes" and i < self.offset:
            base = self.m.base
            assert base is not None
            return (base.path, *base.locations.get(("nodes", i, field), (None, None)))
        j = i - self.offset if section == "nodes" else i
        loc = self.m.locations.get((section, j, field)) or self.m.locations.get((section, j, ""))
        return (self.m.path, *(loc or (None, None)))

    def add(self, section: str, i: int, field: str, message: str, **kw: Any) -> None:
        self.out.append(Diagnostic(*self.where(section, i, field), message, **kw))


def check_map(m: ArgumentMap, *, overlay: bool = False) -> list[Diagnostic]:
    """The semantic problems of a built map (``overlay``: parents may live in the base map)."""
    c = _Checker(m)
    ids: dict[str, int] = {}
    source_ids = {s.id for s in m.sources}
    if m.base is not None:
        source_ids |= {s.id for s in m.base.sources}
    source_hint = Suggester(source_ids)
    source_choices = tuple(sorted(source_ids)) if len(source_ids) <= MAX_CHOICES else ()
    for i, s in enumerate(m.own_sources()):
        if not ID_PATTERN.match(s.id):
            c.add("sources", i, "id", f"source id '{s.id}' is not a valid id", got=s.id,
                  code="bad-id", fix="use letters, digits, '_' and '-', starting with a letter")
    inherited = {s.id: s for s in m.base.sources} if m.base is not None else {}
    own_sources = m.own_sources()
    seen_sources: set[str] = set()
    for i, s in enumerate(own_sources):
        if s.id in seen_sources:
            c.add("sources", i, "id", f"duplicate source id '{s.id}'", got=s.id,
                  code="duplicate-id", fix="give each source its own id")
        elif s.id in inherited and inherited[s.id] != s:
            c.add("sources", i, "id", f"source '{s.id}' differs from the one in the map this extends",
                  got=s.id, code="source-conflict",
                  fix="remove it here (it is inherited), or copy it exactly, or give it another id")
        seen_sources.add(s.id)

    if not m.nodes and not overlay:
        line, col = m.locations.get(("", "nodes"), (None, None))
        c.out.append(Diagnostic(m.path, line, col, "the map has no claims", code="no-nodes",
                                fix="add the contention as the first node"))
    for i, n in enumerate(m.nodes):
        _check_characters(c, i, n)
        if not ID_PATTERN.match(n.id):
            c.add("nodes", i, "id", f"node id '{n.id}' is not a valid id", got=n.id, code="bad-id",
                  fix="use letters, digits, '_' and '-', starting with a letter (no spaces or ':')")
        if n.id in ids:
            first = c.where("nodes", ids[n.id], "id")[1]
            c.add("nodes", i, "id", f"duplicate node id '{n.id}'", got=n.id, code="duplicate-id",
                  fix=f"rename one of them (the first is on line {first})" if first else "rename one")
        else:
            ids[n.id] = i
        if not n.text.strip():
            c.add("nodes", i, "text", f"node '{n.id}' has no text", code="missing-text",
                  fix="add 'text:' with the claim in your own words")
        elif len(n.text) > MAX_TEXT:
            c.add("nodes", i, "text", f"the text of node '{n.id}' is too long ({len(n.text)} characters)",
                  code="text-too-long", fix=f"keep a claim under {MAX_TEXT} characters; split it")
        if n.parent is None:
            if n.stance is not None:
                c.add("nodes", i, "stance", f"node '{n.id}' has a stance but no parent",
                      got=n.stance, code="stance-without-parent",
                      fix="add 'parent:' naming the claim it is for or against, or remove 'stance:'")
        else:
            if n.stance is None:
                c.add("nodes", i, "parent", f"node '{n.id}' has a parent but no stance",
                      choices=STANCES, code="missing-stance",
                      fix="add 'stance: pro' (a reason) or 'stance: con' (an objection)")
        if n.stance is not None and n.stance not in STANCES:
            near = nearest(n.stance, STANCES)
            c.add("nodes", i, "stance", f"unknown stance '{n.stance}' for node '{n.id}'", got=n.stance,
                  choices=STANCES, code="unknown-stance",
                  fix=f"did you mean '{near}'?" if near else "use pro (for) or con (against)")
        if n.basis is not None and n.basis not in BASES:
            c.add("nodes", i, "basis", f"unknown basis '{n.basis}' for node '{n.id}'", got=n.basis,
                  choices=BASES, code="unknown-basis", fix="pick the kind of evidence from the list")
        if n.basis is not None and n.stance == "con":
            c.add("nodes", i, "basis", f"evidence '{n.id}' has stance con",
                  code="evidence-con", fix="evidence supports its parent: use stance pro, "
                  "or remove 'basis:' to make it an objection")
        for field, sid in (("source", n.source), ("quote", n.quote.source if n.quote else None)):
            if sid is not None and sid not in source_ids and not overlay:
                near = source_hint.nearest(sid)
                c.add("nodes", i, field, f"node '{n.id}' cites source '{sid}', which is not in the map's sources",
                      got=sid, choices=source_choices, code="unknown-source",
                      fix=f"did you mean '{near}'?" if near else "add it under 'sources:'")
        if n.quote is not None and not n.quote.text.strip():
            c.add("nodes", i, "quote", f"the quote of node '{n.id}' has no text", code="missing-text",
                  fix="add the exact words, or remove the quote")
        elif n.quote is not None and len(n.quote.text) > MAX_TEXT:
            c.add("nodes", i, "quote", f"the quote of node '{n.id}' is too long ({len(n.quote.text)} "
                  "characters)", code="quote-too-long",
                  fix=f"quote the few words the claim rests on (under {MAX_TEXT} characters)")

    known = set(ids)
    if m.base is not None:
        known |= {n.id for n in m.base.nodes}
    id_hint = Suggester(known)
    if not overlay:
        for i, n in enumerate(m.nodes):
            if n.parent is not None and n.parent not in known:
                near = id_hint.nearest(n.parent)
                c.add("nodes", i, "parent", f"node '{n.id}' has unknown parent '{n.parent}'",
                      got=n.parent, code="unknown-parent",
                      fix=f"did you mean '{near}'?" if near else "name the id of an existing node")
        _check_cycles(m, c, ids)
        if m.nodes and not any(n.parent is None for n in m.nodes):
            line, col = m.locations.get(("", "nodes"), (None, None))
            c.out.append(Diagnostic(m.path, line, col, "the map has no contention (a node without 'parent:')",
                                    code="no-contention", fix="make the main thesis a node with no parent"))
    _check_links(m, c)
    for i, r in enumerate(m.relations):
        if i < len(m.base.relations if m.base else ()):
            continue
        j = i - len(m.base.relations) if m.base else i
        if r.type not in RELATION_TYPES:
            near = nearest(r.type, RELATION_TYPES)
            c.add("relations", j, "type", f"unknown relation type '{r.type}'", got=r.type,
                  choices=RELATION_TYPES, code="unknown-relation",
                  fix=f"did you mean '{near}'?" if near else "use supports, attacks or undercuts")
        if not overlay:
            for field, ref in (("from", r.from_id), ("to", r.to_id)):
                if ref not in known:
                    near = id_hint.nearest(ref)
                    c.add("relations", j, field, f"relation {field} unknown node '{ref}'", got=ref,
                          code="unknown-target",
                          fix=f"did you mean '{near}'?" if near else "name the id of an existing node")
            if r.type == "undercuts" and r.to_id in known and m.node(r.to_id).parent is None:
                c.add("relations", j, "to", f"'{r.to_id}' is a contention: there is no inference to undercut",
                      got=r.to_id, code="undercut-root",
                      fix="undercut a reason or objection (the link to its parent), or use 'attacks'")
    return c.out


_TEXT_FIELDS = ("text", "author", "added_by", "link", "stance", "basis", "source", "parent", "id")


def _check_characters(c: _Checker, i: int, n: Any) -> None:
    """Refuse control, bidi and lone-surrogate characters in a map built in code or in the editor.

    (A file never gets this far with them: the reader refuses them with their line and column.)
    """
    values = [(f, getattr(n, f)) for f in _TEXT_FIELDS] + [("tags", t) for t in n.tags]
    if n.quote is not None:
        values += [("quote", n.quote.text), ("quote", n.quote.source), ("quote", n.quote.endnote),
                   ("quote", n.quote.page)]
    for field, v in values:
        bad = REFUSED.search(v) if isinstance(v, str) else None
        if bad:
            c.add("nodes", i, field, f"the {field} of node '{n.id}' contains the invisible character "
                  f"{refused_char(bad.group())}", code="bad-character",
                  fix="delete it (it can change what a terminal or page shows)")
            return


def _check_cycles(m: ArgumentMap, c: _Checker, ids: dict[str, int]) -> None:
    parent = {n.id: n.parent for n in m.nodes}
    if m.base is not None:
        parent = {n.id: n.parent for n in m.base.nodes} | parent
    state: dict[str, int] = {}
    for start in parent:
        path: list[str] = []
        x: str | None = start
        while x is not None and x in parent and x not in state:
            state[x] = 1
            path.append(x)
            x = parent[x]
        if x is not None and state.get(x) == 1:
            loop = path[path.index(x):]
            i = ids.get(loop[0], 0)
            c.add("nodes", i, "parent", "the parents form a loop: " + " -> ".join([*loop, loop[0]]),
                  got=loop[0], code="cycle",
                  fix="every chain of 'parent:' must end at the contention; change one parent")
        for y in path:
            state[y] = 2


def _check_links(m: ArgumentMap, c: _Checker) -> None:
    groups: dict[str, list[int]] = {}
    for i, n in enumerate(m.nodes):
        if n.link is not None:
            groups.setdefault(n.link, []).append(i)
    for link, members in groups.items():
        first = m.nodes[members[0]]
        if len(members) < 2:
            c.add("nodes", members[0], "link", f"co-premise group '{link}' has only one member",
                  got=link, code="lonely-link",
                  fix="give the same 'link:' to the claims that work only together, or remove it")
        for i in members[1:]:
            n = m.nodes[i]
            if (n.parent, n.stance) != (first.parent, first.stance):
                c.add("nodes", i, "link",
                      f"co-premises of group '{link}' must share parent and stance "
                      f"('{n.id}' differs from '{first.id}')", got=link, code="link-mismatch",
                      fix="linked premises are siblings: give them the same parent and stance")
