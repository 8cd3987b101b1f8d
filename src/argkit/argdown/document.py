"""The Argdown document: what the author wrote (statements, arguments, relations, premise-conclusion
structures), in the terms of Argdown's own JSON export, before it becomes an argkit map."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from argkit.argdown.lexer import Item, items, protect, read_text, restore, split_meta, syntax_error
from argkit.argdown.to_map import ARGUMENT_TAG, slug, to_map, unique
from argkit.model import ArgumentMap

__all__ = ["ARGUMENT_TAG", "ArgdownDocument", "ArgdownElement", "ArgdownRelation", "parse_document"]

_STATEMENT_TITLE_RE = re.compile(r"\[([^\[\]]+)\](?!\()(:?)\s*")
_ARGUMENT_TITLE_RE = re.compile(r"<([^<>]+)>(\(\d+\))?(:?)\s*")
_TAG_RE = re.compile(r"(?:(?<=\s)|^)#(?:\(([^()]*)\)|([\w-]+))")
_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)\)")
_RELATION_SYMBOLS = {
    # symbol: (Argdown type, the line below is the source, written in child position)
    "+": ("support", True), "<+": ("support", True),
    "-": ("attack", True), "<-": ("attack", True),
    "_": ("undercut", True), "<_": ("undercut", True),
    "+>": ("support", False), "->": ("attack", False), "_>": ("undercut", False),
    "><": ("contradictory", True),
}


@dataclass(frozen=True)
class ArgdownElement:
    """A statement (equivalence class) or an argument, as first defined in the text.

    Attributes:
        kind: ``"statement"`` or ``"argument"``.
        title: Its title (``"Untitled 3"`` for untitled text, as Argdown numbers it).
        line: Where it is first written (1-based).
        column: Where it is first written (1-based).
        text: The first text given for it (tags and link targets removed).
        tags: Its tags in order of appearance.
        meta: Its ``{key: value}`` metadata (the first value of each key).
        section: The innermost heading above its first appearance.
        premises: For a reconstructed argument, its premise titles (intermediate conclusions
            included), in order.
        conclusion: For a reconstructed argument, the title of its main conclusion.
        inferences: For a reconstructed argument, the text of its inference lines.
        argument_tag_written: The text names it ``#argument`` itself.
    """

    kind: str
    title: str
    line: int
    column: int
    text: str = ""
    tags: tuple[str, ...] = ()
    meta: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    section: str | None = None
    premises: tuple[str, ...] = ()
    conclusion: str | None = None
    inferences: tuple[str, ...] = ()
    argument_tag_written: bool = False


@dataclass(frozen=True)
class ArgdownRelation:
    """A relation as Argdown exports it: ``type`` is Argdown's (support, attack, undercut,
    contradictory, and in strict mode entails and contrary); ``from_kind``/``to_kind`` are
    ``statement`` or ``argument``; ``child`` is True when it is written in child position
    (``+ X``, ``- X``, ``<+ X``, ``>< X``... under the element it relates to)."""

    type: str
    from_title: str
    from_kind: str
    to_title: str
    to_kind: str
    line: int
    child: bool = False


@dataclass(frozen=True)
class ArgdownDocument:
    """An Argdown text as read: statements and arguments by title, relations, premise-conclusion
    structures, in the terms of Argdown's own JSON export. :meth:`to_map` makes the argkit map.

    Attributes:
        statements: Statement titles in order of first appearance.
        arguments: Argument titles in order of first appearance.
        relations: The relations, merged as Argdown merges them.
        pcs: For each reconstructed argument, its premise titles (intermediate conclusions
            included) and its main conclusion title.
        inferences: For each reconstructed argument, the text of its inference lines (``""`` for
            a bare ``----``).
        front_matter: The YAML between the ``===`` lines.
        node_ids: The id of the map node for each ``(kind, title)``, kind ``statement`` or
            ``argument``.
        path: The file it was read from, if any.
        elements: Every statement and argument, in order of first appearance.
        front_matter_line: The line of the opening ``===``, if there is a front matter.
    """

    node_ids: dict[tuple[str, str], str]
    statements: tuple[str, ...]
    arguments: tuple[str, ...]
    relations: tuple[ArgdownRelation, ...]
    pcs: dict[str, tuple[tuple[str, ...], str]]
    inferences: dict[str, tuple[str, ...]]
    front_matter: dict[str, Any]
    path: str | None
    elements: tuple[ArgdownElement, ...] = ()
    front_matter_line: int | None = None

    def to_map(self) -> ArgumentMap:
        """The argkit map (see :mod:`argkit.argdown` for the mapping).

        Raises:
            MapSyntaxError: Front matter or metadata that does not fit a map, with its line.
        """
        return to_map(self)


# -- building the document ----------------------------------------------------------------------
@dataclass(eq=False)
class _Element:
    """An element while the text is being read (premises and conclusion still being found)."""

    kind: str
    title: str
    line: int
    column: int
    text: str = ""
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    section: str | None = None
    premises: list[_Element] = field(default_factory=list)
    conclusion: _Element | None = None
    inferences: list[str] = field(default_factory=list)
    argument_tag_written: bool = False

    def frozen(self) -> ArgdownElement:
        return ArgdownElement(
            self.kind, self.title, self.line, self.column, self.text, tuple(self.tags),
            MappingProxyType(dict(self.meta)), self.section, tuple(p.title for p in self.premises),
            self.conclusion.title if self.conclusion is not None else None, tuple(self.inferences),
            self.argument_tag_written)


class _Reader:
    """Items in, elements and relations out: the grammar of blocks, relations and structures."""

    def __init__(self, path: str | None):
        self.path = path
        self.statements: dict[str, _Element] = {}
        self.arguments: dict[str, _Element] = {}
        self.order: list[_Element] = []
        self.raw_relations: list[tuple[str, _Element, _Element, bool, int]] = []
        self.untitled = 0
        self.section: str | None = None
        self.in_block = False
        self.levels: list[tuple[int, _Element | None]] = []
        self.last: _Element | None = None
        self.block_top_arg: _Element | None = None
        self.prev_block_arg: _Element | None = None
        self.pcs: _Element | None = None
        self.pcs_stage = ""  # "premises", "inference" (after a bar) or "conclusion" (after one more)
        self.pcs_line = 0

    def read(self, lines: list[tuple[int, str]]) -> None:
        for it in items(lines, self.path):
            if it is None:
                self._end_block()
            else:
                self._start(it)
                self._finish(it)

    def _error(self, it: Item, message: str, fix: str) -> Exception:
        return syntax_error(self.path, it.line, it.column, message, fix)

    def _start(self, new: Item) -> None:
        """Check that the item may stand where it is; for a relation, find what it relates to."""
        if new.kind == "rel":
            if not self.in_block or self.last is None:
                raise self._error(new, f"the relation '{new.symbol}' has no statement or argument above it",
                                  "indent it under the claim it relates to, with no blank line in between"
                                  if not self.in_block else "a relation must follow a statement or argument")
            if new.indent > self.levels[-1][0]:
                self.levels.append((new.indent, self.last))
            else:
                while len(self.levels) > 1 and self.levels[-1][0] > new.indent:
                    self.levels.pop()
            if self.levels[-1][1] is None:
                raise self._error(new, f"the relation '{new.symbol}' is not indented under anything",
                                  "indent the relation line further than the claim it relates to")
        elif new.kind == "inference" and self.pcs is None:
            raise self._error(new, "an inference line must follow numbered premises such as '(1) ...'",
                              "number the premises above it, or remove the dashes")
        elif new.kind == "heading" and self.in_block and self.pcs is not None:
            raise self._error(new, "a heading cannot stand inside a premise-conclusion structure",
                              "leave a blank line before the heading")
        self.in_block = True

    def _finish(self, it: Item) -> None:
        content = it.content
        if it.kind in ("heading", "inference"):
            text, _meta = split_meta(content, it, self.path)
            if it.kind == "heading":
                self.section = restore(_LINK_RE.sub(r"\1", protect(text))).strip() or None
            else:
                assert self.pcs is not None  # _start checked it
                self.pcs.inferences.append(restore(protect(text)).strip())
                self.pcs_stage = "inference"
            self.last = None
            self.levels = [(it.indent, None)]
            return
        if it.kind == "pcs":
            self._premise(it, content)
            return
        el = self._element(content, it)
        if it.kind == "rel":
            assert it.symbol is not None
            above = self.levels[-1][1]
            assert above is not None  # _start checked it
            rtype, child_source = _RELATION_SYMBOLS[it.symbol]
            if it.symbol == "><" or not child_source:
                self.raw_relations.append((rtype, above, el, it.symbol == "><", it.line))
            else:
                self.raw_relations.append((rtype, el, above, True, it.line))
        else:  # a line at the top of a block, or a list item: the base of a new relation tree
            if it.kind == "top":
                self.block_top_arg = el if el.kind == "argument" else None
            self.levels = [(it.indent, None)]
        self.last = el

    def _premise(self, it: Item, content: str) -> None:
        if self.pcs is None:
            arg = self.block_top_arg or self.prev_block_arg
            if arg is not None and (arg.conclusion is not None or arg.premises):
                arg = None
            if arg is None:
                arg = self._new_untitled("argument", it)
            self.pcs, self.pcs_stage, self.pcs_line = arg, "premises", it.line
        el = self._element(content, it)
        if el.kind != "statement":
            raise self._error(it, "an argument cannot be a premise or conclusion",
                              "number statements only: '(1) [Title]: text'; relate arguments with + or -")
        if self.pcs_stage == "inference":
            self.pcs_stage = "conclusion"  # an intermediate conclusion, used as a premise below
        elif self.pcs_stage == "conclusion":
            self.pcs_stage = "premises"
        self.pcs.premises.append(el)
        self.last = el
        self.levels = [(it.indent, None)]

    def _end_block(self) -> None:
        if self.pcs is not None:
            arg, self.pcs = self.pcs, None
            if not arg.inferences:
                raise syntax_error(self.path, self.pcs_line, 1,
                                   "the numbered statements that start here have no inference line",
                                   "add a line '----' before the conclusion (the last numbered statement)")
            if self.pcs_stage != "conclusion":
                raise syntax_error(self.path, self.pcs_line, 1, "missing conclusion",
                                   "add a numbered statement after the inference line")
            arg.conclusion = arg.premises.pop()
        self.prev_block_arg = self.block_top_arg if self.in_block else self.prev_block_arg
        self.block_top_arg = None
        self.in_block = False
        self.last = None
        self.levels = []

    # -- elements --------------------------------------------------------------------------------
    def _new_untitled(self, kind: str, it: Item) -> _Element:
        self.untitled += 1
        el = _Element(kind, f"Untitled {self.untitled}", it.line, it.column, section=self.section)
        (self.arguments if kind == "argument" else self.statements)[el.title] = el
        self.order.append(el)
        return el

    def _get(self, kind: str, title: str, it: Item) -> _Element:
        table = self.arguments if kind == "argument" else self.statements
        el = table.get(title)
        if el is None:
            el = table[title] = _Element(kind, title, it.line, it.column, section=self.section)
            self.order.append(el)
        return el

    def _element(self, content: str, it: Item) -> _Element:
        text, meta = split_meta(content, it, self.path)
        text = protect(text)
        kind, title = "statement", None
        if m := _STATEMENT_TITLE_RE.match(text):
            title = m.group(1)
            text = text[m.end():]
        elif m := _ARGUMENT_TITLE_RE.match(text):
            kind, title = "argument", m.group(1)
            text = text[m.end():] if not m.group(2) else ""
        tags: list[str] = []

        def take(t: re.Match[str]) -> str:
            tags.append(restore(t.group(1) if t.group(1) is not None else t.group(2)))
            return ""

        text = _TAG_RE.sub(take, text)
        text = restore(_LINK_RE.sub(r"\1", text))
        text = (re.sub(r" {2,}", " ", text) if tags else text).strip()
        el = self._new_untitled("statement", it) if title is None else self._get(kind, restore(title).strip(), it)
        if text and not el.text:
            el.text = text
        for t in tags:
            if t == ARGUMENT_TAG:
                el.argument_tag_written = True
            if t not in el.tags:
                el.tags.append(t)
        for k, v in meta.items():
            el.meta.setdefault(str(k), v)
        return el

    # -- the document ----------------------------------------------------------------------------
    def relations(self, strict: bool) -> list[ArgdownRelation]:
        out: list[ArgdownRelation] = []
        seen: set[tuple[str, int, int]] = set()
        for rtype, a, b, child, line in self.raw_relations:
            if (a.kind == "argument" and a.conclusion is not None and b.kind == "statement"
                    and rtype in ("support", "attack")):
                a = a.conclusion  # Argdown: a reconstructed argument speaks through its conclusion
            if strict and a.kind == b.kind == "statement":
                rtype = {"support": "entails", "attack": "contrary"}.get(rtype, rtype)
            key = (rtype, id(a), id(b))
            if key not in seen:
                seen.add(key)
                out.append(ArgdownRelation(rtype, a.title, a.kind, b.title, b.kind, line, child))
        return out


def parse_document(text: str, path: str | None) -> ArgdownDocument:
    """Read Argdown text into an :class:`ArgdownDocument`.

    Raises:
        MapSyntaxError: The text is not in the supported subset; the message gives the line.
    """
    source = read_text(text, path)
    reader = _Reader(path)
    reader.read(source.lines)
    model = source.front_matter.get("model")
    strict = isinstance(model, dict) and str(model.get("mode", "loose")) == "strict"
    used: set[str] = set()
    ids = {(e.kind, e.title): unique(slug(e.title), used) for e in reader.order}
    return ArgdownDocument(
        node_ids=ids,
        statements=tuple(e.title for e in reader.order if e.kind == "statement"),
        arguments=tuple(e.title for e in reader.order if e.kind == "argument"),
        relations=tuple(reader.relations(strict)),
        pcs={e.title: (tuple(p.title for p in e.premises), e.conclusion.title)
             for e in reader.order if e.conclusion is not None},
        inferences={e.title: tuple(e.inferences) for e in reader.order if e.conclusion is not None},
        front_matter=dict(source.front_matter),
        path=path,
        elements=tuple(e.frozen() for e in reader.order),
        front_matter_line=source.front_matter_line,
    )
