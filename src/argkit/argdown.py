"""Argdown in and out: read a documented subset of Argdown into a map, and write a map as Argdown.

`Argdown <https://argdown.org>`_ is the plain-text syntax most teachers and philosophers use to
map arguments. This module reads the subset below (an own parser: no Argdown code is used) and
writes maps back so that ``parse_argdown(generate_argdown(m)) == m``.

The subset read:

* statements ``[Title]: text`` and references ``[Title]``; untitled text is a statement too;
* arguments ``<Title>: text`` and references ``<Title>`` (``<Title>(1)`` reads as ``<Title>``);
* relations by indentation: ``+``, ``-``, ``_`` (undercut) for the line below supporting,
  attacking or undercutting the element above, ``<+``, ``<-``, ``<_`` (the same), ``+>``, ``->``,
  ``_>`` for the element above supporting, attacking or undercutting the line below, and ``><``
  (contradiction, counted once, as Argdown does);
* premise-conclusion structures: ``(1) premise`` lines, inference lines ``----``, ``-- rule --``
  or ``--`` / rule lines / ``--``, and the conclusion after them; an argument ``<Title>`` on its
  own just before the structure (after a blank line) owns it, else the structure is an untitled
  argument;
* headings ``#`` .. ``######`` (the innermost heading becomes a tag of the elements first
  defined under it), list items ``*`` and ``1.`` (statements), ``#tag`` and ``#(tag with
  spaces)``, ``{key: value}`` metadata at the end of an element, a YAML front matter between
  ``===`` lines (``title``, ``model: {mode: strict}``), comments ``//``, ``/* */`` and
  ``<!-- -->``, backslash escapes (``\\[``), Windows line endings.

Anything else that looks like Argdown structure (a relation right after a blank line, an
inference outside a premise-conclusion structure, an argument used as a premise, a structure
without a conclusion, bad metadata) raises :class:`~argkit.errors.MapSyntaxError` with the line,
column and what to do.

How Argdown becomes an argkit map:

* every statement (equivalence class) and every argument is a :class:`~argkit.model.Node`;
  arguments carry the tag ``argument`` (first, unless the text names it as a ``#argument`` tag);
* the node id is the Argdown title when it is a valid id, else the title made into one
  (``Statement 1`` -> ``Statement-1``, accents dropped, ``-2`` added on a clash); untitled
  statements are ``Untitled-N`` as Argdown numbers them. :func:`generate_argdown` writes the id
  as the title, so titles with spaces come back with dashes;
* the *tree*: the first support or attack that an element makes on the line where it is written
  under another one (``+ X``, ``- X``, ``<+ X``, ``<- X``, ``>< X``) makes that element a child
  (``parent``, ``stance`` pro or con) unless that would close a loop. Every other relation,
  and every relation written from the element above (``+>``, ``->``, ``_>``) is a
  cross-relation ``supports``/``attacks``/``undercuts``. An undercut of a contention (which has
  no inference to undercut in argkit) becomes ``attacks``. Elements that are nobody's child are
  contentions. Argdown's strict-mode types map as ``entails`` -> supports, ``contrary`` and
  ``contradictory`` -> attacks;
* an argument with a premise-conclusion structure is drawn simply: the premises (and intermediate
  conclusions) support the argument as linked co-premises (``link`` = the argument's id) and the
  argument supports its main conclusion; an outgoing support or attack of such an argument on a
  statement starts from its main conclusion, as Argdown does;
* text: lines are joined by one space, tags are removed from the text into ``tags``, links
  ``[text](url)`` keep their text, ``@[mentions]`` and Markdown emphasis stay as written;
* metadata: ``author``, ``source``, ``quote`` (``text``, ``endnote``, ``page``, ``source``),
  ``basis``, ``link``, ``added_by``, ``tags`` and ``text`` fill the node's fields; other keys are
  Argdown's (``isInMap``, ``uses``...) and are not kept. A ``source`` that the map does not list
  is added to its sources. The front matter's ``argkit:`` entry holds the map's description,
  reference flag, ``extends``, sources and (when the trees' reading order differs from the map's)
  the node ``order``.

Example:
    >>> m = parse_argdown('''
    ... [tea]: Tea is good.
    ...   + [tasty]: It is tasty. #taste
    ...   - <stains>: It stains teeth.
    ... ''')
    >>> [(n.id, n.parent, n.stance, n.tags) for n in m.nodes]
    [('tea', None, None, ()), ('tasty', 'tea', 'pro', ('taste',)), ('stains', 'tea', 'con', ('argument',))]
    >>> parse_argdown(generate_argdown(m)) == m
    True
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from argkit import _io
from argkit.errors import ArgdownWriteError, Diagnostic, InvalidMapError, MapSyntaxError
from argkit.model import ID_PATTERN, ArgumentMap, Node, Quote, Relation, Source

__all__ = [
    "ArgdownDocument",
    "ArgdownRelation",
    "ArgdownWriteError",
    "generate_argdown",
    "parse_argdown",
    "parse_argdown_document",
    "read_argdown",
    "write_argdown",
]

ARGUMENT_TAG = "argument"
# Argdown relation types -> (tree stance, argkit relation type)
_TYPE_MAP = {
    "support": ("pro", "supports"),
    "entails": ("pro", "supports"),
    "attack": ("con", "attacks"),
    "contrary": ("con", "attacks"),
    "contradictory": ("con", "attacks"),
    "undercut": (None, "undercuts"),
}
_NODE_META = ("text", "author", "source", "quote", "basis", "link", "added_by", "tags")
_QUOTE_META = ("text", "endnote", "page", "source")
_SOURCE_META = ("id", "author", "title", "publisher", "year", "url", "note")

# Escaped characters are swapped for code points of a private-use plane while the structure is
# read, so that an escaped '[' or '#' can never start a title or a tag.
_PUA = 0xF0000
_PUA_RE = re.compile("[\U000f0000-\U000f007f]")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UNESCAPE_RE = re.compile("[\U000f0021-\U000f007e]")

_REL_RE = re.compile(r"(<\+|<-|<_|\+>|->|_>|><|\+|-|_)\s+(\S.*)$")
_PCS_RE = re.compile(r"\((\d+)\)\s*(.*)$")
_INF_BAR_RE = re.compile(r"-{2,}\s*$")
_INF_INLINE_RE = re.compile(r"--\s*(\S.*?)\s*-{2,}\s*$")
_HEADING_RE = re.compile(r"(#{1,6})\s+(.*)$")
_LIST_RE = re.compile(r"(\*|\d+\.)\s+(.*)$")
_STATEMENT_TITLE_RE = re.compile(r"\[([^\[\]]+)\](?!\()(:?)\s*")
_ARGUMENT_TITLE_RE = re.compile(r"<([^<>]+)>(\(\d+\))?(:?)\s*")
_TAG_RE = re.compile(r"(?:(?<=\s)|^)#(?:\(([^()]*)\)|([\w-]+))")
_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^()\s]*)\)")
_COMMENT_START_RE = re.compile(r"\\.|<!--|/\*|(?:(?<=\s)|^)//", re.MULTILINE)
_COMMENT_CLOSE = {"<!--": "-->", "/*": "*/", "//": "\n"}
_PLAIN_TAG_RE = re.compile(r"[\w-]+\Z")
_RELATION_SYMBOLS = {
    # symbol: (Argdown type, the line below is the source, written in child position)
    "+": ("support", True), "<+": ("support", True),
    "-": ("attack", True), "<-": ("attack", True),
    "_": ("undercut", True), "<_": ("undercut", True),
    "+>": ("support", False), "->": ("attack", False), "_>": ("undercut", False),
    "><": ("contradictory", True),
}


# -- the Argdown document (what the author wrote) ---------------------------------------------
@dataclass(eq=False)
class _Element:
    kind: str  # "statement" or "argument"
    title: str
    line: int
    column: int
    text: str = ""
    tags: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)
    section: str | None = None
    premises: list[_Element] = field(default_factory=list)  # premises and intermediate conclusions
    conclusion: _Element | None = None
    inferences: list[str] = field(default_factory=list)
    explicit_argument_tag: bool = False


@dataclass(frozen=True)
class ArgdownRelation:
    """A relation as Argdown exports it: ``type`` is Argdown's (support, attack, undercut,
    contradictory, and in strict mode entails and contrary); ``from_kind``/``to_kind`` are
    ``statement`` or ``argument``."""

    type: str
    from_title: str
    from_kind: str
    to_title: str
    to_kind: str
    line: int


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
    """

    node_ids: dict[tuple[str, str], str]
    statements: tuple[str, ...]
    arguments: tuple[str, ...]
    relations: tuple[ArgdownRelation, ...]
    pcs: dict[str, tuple[tuple[str, ...], str]]
    inferences: dict[str, tuple[str, ...]]
    front_matter: dict[str, Any]
    path: str | None
    _parser: Any = field(repr=False, compare=False)

    def to_map(self) -> ArgumentMap:
        """The argkit map (see the module docstring for the mapping).

        Raises:
            InvalidMapError: The Argdown reads but does not make a valid map (e.g. a text longer
                than argkit allows); every problem is listed with its line.
        """
        return self._parser.to_map()


@dataclass
class _Item:
    kind: str  # top, rel, pcs, list, heading, inference
    line: int
    column: int
    indent: int
    parts: list[str]
    symbol: str | None = None
    parent: _Element | None = None


class _Parser:
    def __init__(self, text: str, path: str | None):
        self.path = path
        self.statements: dict[str, _Element] = {}
        self.arguments: dict[str, _Element] = {}
        self.order: list[_Element] = []
        self.raw_relations: list[tuple[str, _Element, _Element, bool, int]] = []
        self.untitled = 0
        self.section: str | None = None
        self.front: dict[str, Any] = {}
        self.front_line: int | None = None
        self._read(text)

    # -- errors --------------------------------------------------------------------------------
    def error(self, line: int | None, column: int | None, message: str, fix: str,
              got: str | None = None, code: str = "argdown-syntax") -> MapSyntaxError:
        return MapSyntaxError(Diagnostic(self.path, line, column, message, got=got, fix=fix, code=code))

    # -- lines -----------------------------------------------------------------------------------
    def _read(self, text: str) -> None:
        text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
        bad = _PUA_RE.search(text)
        if bad:
            line = text.count("\n", 0, bad.start()) + 1
            raise self.error(line, None, "the text contains a private-use character argkit reserves",
                             "remove the character (U+F0000..U+F007F)", got=repr(bad.group()))
        lines = text.split("\n")
        start = self._front_matter(lines)
        body = "\n".join(lines[start:])
        kept = self._strip_comments(body, start)
        self._blocks(kept)

    def _front_matter(self, lines: list[str]) -> int:
        first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
        if first is None or lines[first].strip() != "===":
            return 0
        end = next((i for i in range(first + 1, len(lines)) if lines[i].strip() == "==="), None)
        if end is None:
            raise self.error(first + 1, 1, "the front matter that starts here is not closed",
                             "end it with a line '===' (or remove the '===' line)")
        self.front_line = first + 1
        block = lines[first + 1:end]
        fast = [(m.group(1), _fast_flow(m.group(2))) if (m := _FRONT_LINE_RE.match(ln)) else ("", _NOT_FAST)
                for ln in block]
        if all(v is not _NOT_FAST for _k, v in fast) and len({k for k, _v in fast}) == len(fast):
            self.front = dict(fast)  # the front matter generate_argdown writes
        else:
            self.front = self._yaml("\n".join(block), first + 2, "front matter") or {}
        if not isinstance(self.front, dict):
            raise self.error(first + 2, 1, "the front matter must be 'key: value' lines",
                             "write e.g. 'title: My debate' between the '===' lines")
        return end + 1

    def _yaml(self, text: str, line: int, what: str) -> Any:
        fast = _fast_flow(text)
        if fast is not _NOT_FAST:
            return fast
        loader = _io.Loader(text)
        try:
            return loader.get_single_data()
        except (_io.AliasFound, _io.TooDeep):
            raise self.error(line, None, f"the {what} uses YAML anchors or is nested too deeply",
                             "write the values out in full") from None
        except yaml.YAMLError as e:
            problem = getattr(e, "problem", None) or "invalid YAML"
            mark = getattr(e, "problem_mark", None)
            raise self.error(line + (mark.line if mark else 0), None,
                             f"cannot read the {what}: {problem}",
                             "write it as {key: value, other: 'text'} and quote text with ':' or ','",
                             got=text if len(text) <= 60 else text[:57] + "...") from None
        finally:
            loader.dispose()

    def _strip_comments(self, body: str, offset: int) -> list[tuple[int, str]]:
        out: list[str] = []
        pos = 0
        for m in _COMMENT_START_RE.finditer(body):
            token = m.group()
            if m.start() < pos or token.startswith("\\"):
                continue  # inside a comment already removed, or an escaped character
            closer = _COMMENT_CLOSE[token]
            end = body.find(closer, m.end())
            if end < 0:
                if closer == "\n":
                    end = len(body)
                else:
                    before = body[: m.start()]
                    raise self.error(offset + before.count("\n") + 1, len(before) - before.rfind("\n"),
                                     f"the comment '{token}' is not closed", f"end the comment with '{closer}'")
            elif closer != "\n":
                end += len(closer)
            out.append(body[pos:m.start()])
            out.append("\n" * body.count("\n", m.start(), end))
            pos = end
        rest = body[pos:]
        out.append(rest)
        stripped = "".join(out).split("\n")
        original = body.split("\n")
        kept = []
        for i, (orig, new) in enumerate(zip(original, stripped, strict=True)):
            if orig.strip() and not new.strip():
                continue  # a line that held only a comment is not a blank line
            body_ = new.lstrip(" \t")
            indent = new[: len(new) - len(body_)].replace("\t", "    ")
            kept.append((offset + i + 1, indent + body_.rstrip(" \t")))
        return kept

    # -- blocks and items -------------------------------------------------------------------------
    def _blocks(self, lines: list[tuple[int, str]]) -> None:
        self.item: _Item | None = None
        self.in_block = False
        self.levels: list[tuple[int, _Element | None]] = []
        self.last: _Element | None = None
        self.block_top_arg: _Element | None = None
        self.prev_block_arg: _Element | None = None
        self.pcs: _Element | None = None
        self.pcs_stage = ""  # "premises", "inference" (after a bar) or "conclusion" (after one more)
        self.pcs_line = 0
        i = 0
        while i < len(lines):
            lineno, raw = lines[i]
            if not raw.strip():
                self._end_block()
                i += 1
                continue
            indent = len(raw) - len(raw.lstrip(" "))
            content = raw.strip()
            col = indent + 1
            new: _Item | None = None
            if (m := _INF_INLINE_RE.match(content)) and not content.startswith("---"):
                new = _Item("inference", lineno, col, indent, [m.group(1)])
            elif _INF_BAR_RE.match(content):
                rule_lines: list[str] = []
                if content.strip() == "--" and not self._next_is_pcs(lines, i):
                    j = i + 1
                    while j < len(lines) and not _INF_BAR_RE.match(lines[j][1].strip()):
                        if not lines[j][1].strip():
                            break
                        rule_lines.append(lines[j][1].strip())
                        j += 1
                    if j >= len(lines) or not lines[j][1].strip():
                        raise self.error(lineno, col, "the inference rule that starts here has no closing '--'",
                                         "write the rule between two '--' lines, or use '----' alone")
                    i = j
                new = _Item("inference", lineno, col, indent, [" ".join(rule_lines)])
            elif m := _PCS_RE.match(content):
                new = _Item("pcs", lineno, col, indent, [m.group(2)])
            elif m := _REL_RE.match(content):
                new = _Item("rel", lineno, col, indent, [m.group(2)], symbol=m.group(1))
            elif m := _HEADING_RE.match(content):
                new = _Item("heading", lineno, col, indent, [m.group(2)], symbol=m.group(1))
            elif m := _LIST_RE.match(content):
                new = _Item("list", lineno, col, indent, [m.group(2)])
            elif not self.in_block:
                new = _Item("top", lineno, col, indent, [content])
            if new is None:
                if self.item is None:
                    raise self.error(lineno, col, "this line continues nothing",
                                     "put it after a statement, or leave a blank line before it")
                self.item.parts.append(content)
            else:
                self._start(new)
            i += 1
        self._end_block()

    @staticmethod
    def _next_is_pcs(lines: list[tuple[int, str]], i: int) -> bool:
        return i + 1 < len(lines) and _PCS_RE.match(lines[i + 1][1].strip()) is not None

    def _start(self, new: _Item) -> None:
        self._finish()
        if new.kind == "rel":
            if not self.in_block or self.last is None:
                raise self.error(new.line, new.column,
                                 f"the relation '{new.symbol}' has no statement or argument above it",
                                 "indent it under the claim it relates to, with no blank line in between"
                                 if not self.in_block else
                                 "a relation must follow a statement or argument")
            if new.indent > self.levels[-1][0]:
                self.levels.append((new.indent, self.last))
            else:
                while len(self.levels) > 1 and self.levels[-1][0] > new.indent:
                    self.levels.pop()
            parent = self.levels[-1][1]
            if parent is None:
                raise self.error(new.line, new.column,
                                 f"the relation '{new.symbol}' is not indented under anything",
                                 "indent the relation line further than the claim it relates to")
            new.parent = parent
        elif new.kind == "inference":
            if self.pcs is None:
                raise self.error(new.line, new.column,
                                 "an inference line must follow numbered premises such as '(1) ...'",
                                 "number the premises above it, or remove the dashes")
        elif new.kind == "heading" and self.in_block and self.pcs is not None:
            raise self.error(new.line, new.column, "a heading cannot stand inside a premise-conclusion structure",
                             "leave a blank line before the heading")
        self.in_block = True
        self.item = new

    def _finish(self) -> None:
        it, self.item = self.item, None
        if it is None:
            return
        content = " ".join(p for p in it.parts if p)
        if it.kind == "heading":
            text, _meta = self._split_meta(content, it)
            text = _restore(_LINK_RE.sub(r"\1", _protect(text))).strip()
            self.section = text or None
            self.last = None
            self.levels = [(it.indent, None)]
            return
        if it.kind == "inference":
            text, _meta = self._split_meta(content, it)
            assert self.pcs is not None
            self.pcs.inferences.append(_restore(_protect(text)).strip())
            self.pcs_stage = "inference"
            self.last = None
            self.levels = [(it.indent, None)]
            return
        if it.kind == "pcs":
            if self.pcs is None:
                arg = self.block_top_arg or self.prev_block_arg
                if arg is not None and (arg.conclusion is not None or arg.premises):
                    arg = None
                if arg is None:
                    arg = self._new_untitled("argument", it)
                self.pcs, self.pcs_stage, self.pcs_line = arg, "premises", it.line
            el = self._element(content, it)
            if el.kind != "statement":
                raise self.error(it.line, it.column, "an argument cannot be a premise or conclusion",
                                 "number statements only: '(1) [Title]: text'; relate arguments with + or -")
            if self.pcs_stage == "inference":
                self.pcs.premises.append(el)  # an intermediate conclusion, used as a premise below
                self.pcs_stage = "conclusion"
            else:
                if self.pcs_stage == "conclusion":
                    self.pcs_stage = "premises"
                self.pcs.premises.append(el)
            self.last = el
            self.levels = [(it.indent, None)]
            return
        el = self._element(content, it)
        if it.kind == "rel":
            assert it.parent is not None and it.symbol is not None
            rtype, child_source = _RELATION_SYMBOLS[it.symbol]
            if it.symbol == "><" or not child_source:
                self.raw_relations.append((rtype, it.parent, el, it.symbol == "><", it.line))
            else:
                self.raw_relations.append((rtype, el, it.parent, True, it.line))
        elif it.kind == "top":
            self.block_top_arg = el if el.kind == "argument" else None
            self.levels = [(it.indent, None)]
        else:  # list item: a statement of its own, the base of a new relation tree
            self.levels = [(it.indent, None)]
        self.last = el

    def _end_block(self) -> None:
        self._finish()
        if self.pcs is not None:
            self._close_pcs()
        self.prev_block_arg = self.block_top_arg if self.in_block else self.prev_block_arg
        self.block_top_arg = None
        self.in_block = False
        self.last = None
        self.levels = []

    def _close_pcs(self) -> None:
        arg, self.pcs = self.pcs, None
        assert arg is not None
        if not arg.inferences:
            raise self.error(self.pcs_line, 1, "the numbered statements that start here have no inference line",
                             "add a line '----' before the conclusion (the last numbered statement)")
        if self.pcs_stage != "conclusion":
            raise self.error(self.pcs_line, 1, "missing conclusion",
                             "add a numbered statement after the inference line")
        arg.conclusion = arg.premises.pop()

    # -- elements --------------------------------------------------------------------------------
    def _new_untitled(self, kind: str, it: _Item) -> _Element:
        self.untitled += 1
        el = _Element(kind, f"Untitled {self.untitled}", it.line, it.column, section=self.section)
        (self.arguments if kind == "argument" else self.statements)[el.title] = el
        self.order.append(el)
        return el

    def _get(self, kind: str, title: str, it: _Item) -> _Element:
        table = self.arguments if kind == "argument" else self.statements
        el = table.get(title)
        if el is None:
            el = table[title] = _Element(kind, title, it.line, it.column, section=self.section)
            self.order.append(el)
        return el

    def _split_meta(self, content: str, it: _Item) -> tuple[str, dict[str, Any]]:
        i = _UNTIL_BRACE_RE.match(content).end()  # type: ignore[union-attr]
        if i >= len(content):
            return content, {}
        raw = content[i:].strip()
        if not raw.endswith("}"):
            raise self.error(it.line, it.column, "a '{' in the middle of a text",
                             "metadata {key: value} goes at the end of the element; write \\{ for a brace",
                             got=raw[:60])
        meta = self._yaml(raw, it.line, "metadata")
        if not isinstance(meta, dict):
            raise self.error(it.line, it.column, "metadata must be {key: value, ...}",
                             "write e.g. {author: 'Michael Cox'}", got=raw[:60])
        return content[:i], meta

    def _element(self, content: str, it: _Item) -> _Element:
        text, meta = self._split_meta(content, it)
        text = _protect(text)
        kind, title = "statement", None
        if m := _STATEMENT_TITLE_RE.match(text):
            title = m.group(1)
            text = text[m.end():]
        elif m := _ARGUMENT_TITLE_RE.match(text):
            kind, title = "argument", m.group(1)
            text = text[m.end():] if not m.group(2) else ""
        tags: list[str] = []

        def take(t: re.Match[str]) -> str:
            tags.append(_restore(t.group(1) if t.group(1) is not None else t.group(2)))
            return ""

        text = _TAG_RE.sub(take, text)
        text = _LINK_RE.sub(r"\1", text)
        text = _restore(text)
        text = (re.sub(r" {2,}", " ", text) if tags else text).strip()
        if title is None:
            el = self._new_untitled("statement", it)
        else:
            el = self._get(kind, _restore(title).strip(), it)
        if text and not el.text:
            el.text = text
        for t in tags:
            if t == ARGUMENT_TAG:
                el.explicit_argument_tag = True
            if t not in el.tags:
                el.tags.append(t)
        for k, v in meta.items():
            el.meta.setdefault(str(k), v)
        return el

    # -- the document and the map ---------------------------------------------------------------
    def mode(self) -> str:
        model = self.front.get("model")
        return str(model.get("mode", "loose")) if isinstance(model, dict) else "loose"

    def relations(self) -> list[tuple[str, _Element, _Element, bool, int]]:
        strict = self.mode() == "strict"
        out: list[tuple[str, _Element, _Element, bool, int]] = []
        seen: set[tuple[str, int, int]] = set()
        for rtype, a, b, child_pos, line in self.raw_relations:
            if (a.kind == "argument" and a.conclusion is not None and b.kind == "statement"
                    and rtype in ("support", "attack")):
                a = a.conclusion  # Argdown: a reconstructed argument speaks through its conclusion
            if strict and a.kind == b.kind == "statement":
                rtype = {"support": "entails", "attack": "contrary"}.get(rtype, rtype)
            key = (rtype, id(a), id(b))
            if key in seen:
                continue
            seen.add(key)
            out.append((rtype, a, b, child_pos, line))
        return out

    def ids(self) -> dict[int, str]:
        used: set[str] = set()
        return {id(el): _unique(_slug(el.title), used) for el in self.order}

    def document(self) -> ArgdownDocument:
        ids = self.ids()
        return ArgdownDocument(
            node_ids={(e.kind, e.title): ids[id(e)] for e in self.order},
            statements=tuple(e.title for e in self.order if e.kind == "statement"),
            arguments=tuple(e.title for e in self.order if e.kind == "argument"),
            relations=tuple(ArgdownRelation(t, a.title, a.kind, b.title, b.kind, ln)
                            for t, a, b, _c, ln in self.relations()),
            pcs={e.title: (tuple(p.title for p in e.premises), e.conclusion.title)
                 for e in self.order if e.conclusion is not None},
            inferences={e.title: tuple(e.inferences) for e in self.order if e.conclusion is not None},
            front_matter=dict(self.front),
            path=self.path,
            _parser=self,
        )

    def to_map(self) -> ArgumentMap:
        argkit_meta = self.front.get("argkit") or {}
        if not isinstance(argkit_meta, dict):
            raise self.error(self.front_line, None, "'argkit:' in the front matter must be a mapping",
                             "write argkit: {description: '...'}")
        raw_sources = argkit_meta.get("sources") or []
        if not isinstance(raw_sources, list):
            raise self.error(self.front_line, None, "'sources' in the front matter must be a list",
                             "write sources: [{id: cox2022, author: Michael Cox}]", got=repr(raw_sources)[:60])
        reference = argkit_meta.get("reference", False)
        if not isinstance(reference, bool):
            raise self.error(self.front_line, None, "'reference' in the front matter must be true or false",
                             "write reference: true", got=repr(reference)[:60])
        sources = [self._source(s) for s in raw_sources]
        ids = self.ids()
        parent: dict[str, tuple[str, str]] = {}
        cross: list[Relation] = []
        links: dict[str, str] = {}

        def would_loop(child: str, target: str) -> bool:
            x: str | None = target
            while x is not None:
                if x == child:
                    return True
                x = parent[x][0] if x in parent else None
            return False

        def attach(child: str, target: str, stance: str) -> bool:
            if child in parent or would_loop(child, target):
                return False
            parent[child] = (target, stance)
            return True

        pending: list[tuple[str, str, str, bool]] = []
        for rtype, a, b, child_pos, _line in self.relations():
            stance, rel_type = _TYPE_MAP[rtype]
            src, dst = ids[id(a)], ids[id(b)]
            if rtype == "contradictory":
                src, dst = dst, src  # '>< X': X is the child that contradicts the element above
            pending.append((src, rel_type, dst, child_pos and stance is not None))
        for el in self.order:
            if el.conclusion is None:
                continue
            arg = ids[id(el)]
            group = [ids[id(p)] for p in el.premises]
            for p in group:
                pending.append((p, "supports", arg, True))
            pending.append((arg, "supports", ids[id(el.conclusion)], True))
        seen: set[tuple[str, str, str]] = set()
        for src, rel_type, dst, tree in pending:
            stance = "pro" if rel_type == "supports" else "con"
            key = (src, rel_type, dst)
            if key in seen or (src in parent and parent[src] == (dst, stance) and rel_type != "undercuts"):
                continue
            seen.add(key)
            if tree and attach(src, dst, stance):
                continue
            cross.append(Relation(src, rel_type, dst))
        for el in self.order:
            if el.conclusion is None:
                continue
            arg = ids[id(el)]
            kids = [ids[id(p)] for p in el.premises if parent.get(ids[id(p)]) == (arg, "pro")]
            if len(kids) >= 2:
                for k in kids:
                    links[k] = arg
        cross = [Relation(r.from_id, "attacks", r.to_id)
                 if r.type == "undercuts" and r.to_id not in parent else r for r in cross]
        source_ids = {s.id for s in sources}
        nodes = []
        locations: dict[tuple[Any, ...], tuple[int, int]] = {}
        for i, el in enumerate(self.order):
            nid = ids[id(el)]
            node = self._node(el, nid, parent.get(nid), links.get(nid), sources, source_ids)
            nodes.append(node)
            locations[("nodes", i, "")] = (el.line, el.column)
        order = argkit_meta.get("order")
        if order is not None:
            ok = isinstance(order, list) and all(isinstance(x, str) for x in order)
            pos = {nid: k for k, nid in enumerate(order)} if ok else {}
            if len(pos) != len(nodes) or len(order) != len(nodes) or any(n.id not in pos for n in nodes):
                raise self.error(self.front_line, None, "'order' in the front matter must list every node id once",
                                 "remove 'order:' (the nodes then come in reading order)")
            perm = sorted(range(len(nodes)), key=lambda k: pos[nodes[k].id])
            nodes = [nodes[k] for k in perm]
            locations = {("nodes", i, ""): locations[("nodes", k, "")] for i, k in enumerate(perm)}
        title = self.front.get("title")
        title = str(title) if title is not None else (
            Path(self.path).stem if self.path else "Argdown map")
        m = ArgumentMap(
            title=title,
            nodes=tuple(nodes),
            relations=tuple(cross),
            sources=tuple(sources),
            description=_opt_str(argkit_meta.get("description")),
            extends=_opt_str(argkit_meta.get("extends")),
            reference=reference,
            path=self.path,
            locations=locations,
        )
        from argkit.validate import check_map

        problems = check_map(m, overlay=m.extends is not None)
        # A merged overlay repeats some of its base's sources word for word; that is harmless.
        repeated = {s.id for k, s in enumerate(sources) if s in sources[:k]}
        problems = [d for d in problems if not (d.code == "duplicate-id" and d.got in repeated
                                                 and d.message.startswith("duplicate source"))]
        if problems:
            raise InvalidMapError(problems)
        return m

    def _source(self, s: Any) -> Source:
        if not isinstance(s, dict) or "id" not in s:
            raise self.error(self.front_line, None, "each source in the front matter needs an 'id'",
                             "write sources: [{id: cox2022, author: Michael Cox}]", got=repr(s)[:60])
        year = s.get("year")
        if year is not None and (not isinstance(year, int) or isinstance(year, bool)):
            raise self.error(self.front_line, None, f"the year of source '{s['id']}' must be a whole number",
                             "write year: 2022", got=repr(year)[:60])
        return Source(**{k: _opt_str(s.get(k)) for k in _SOURCE_META if k != "year"},
                      year=int(year) if isinstance(year, int) and not isinstance(year, bool) else None)

    def _node(self, el: _Element, nid: str, par: tuple[str, str] | None, link: str | None,
              sources: list[Source], source_ids: set[str]) -> Node:
        meta = el.meta
        text = _opt_str(meta.get("text")) or el.text
        if not text and el.conclusion is not None:
            text = "Argument for: " + (el.conclusion.text or el.conclusion.title)
        text = text or el.title
        tags = list(el.tags)
        extra = meta.get("tags")
        if extra is not None:
            if not isinstance(extra, list):
                raise self.error(el.line, el.column, "'tags' in metadata must be a list",
                                 "write {tags: [one, 'two words']}", got=repr(extra)[:60])
            tags += [str(t) for t in extra]
        if el.kind == "argument" and not el.explicit_argument_tag and ARGUMENT_TAG not in tags:
            tags.insert(0, ARGUMENT_TAG)
        if el.section and el.section not in tags:
            tags.append(el.section)
        quote = None
        q = meta.get("quote")
        if q is not None:
            if isinstance(q, str):
                q = {"text": q}
            if not isinstance(q, dict) or not q.get("text"):
                raise self.error(el.line, el.column, "'quote' in metadata needs a 'text'",
                                 "write {quote: {text: 'the exact words', endnote: '12'}}", got=repr(q)[:60])
            quote = Quote(**{k: _opt_str(q.get(k)) for k in _QUOTE_META})  # type: ignore[arg-type]
        source = _opt_str(meta.get("source"))
        if source is not None and source not in source_ids:
            sid = _unique(_slug(source), set(source_ids))
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


# -- helpers ------------------------------------------------------------------------------------
_NOT_FAST = object()
_UNTIL_BRACE_RE = re.compile(r"(?:[^\\{]|\\.)*", re.DOTALL)
_FRONT_LINE_RE = re.compile(r"([A-Za-z_][A-Za-z0-9_]*): (.+)$")
_FLOW_TOKEN_RE = re.compile(
    r'\s*(?:([{}\[\],:])|"((?:[^"\\]|\\["\\/]|\\u[0-9a-fA-F]{4}|\\U[0-9a-fA-F]{8})*)"'
    r"|(-?[1-9][0-9]{0,17}|0)(?![\w.])|(true|false)(?!\w)|([A-Za-z_][A-Za-z0-9_]*)(?=\s*:))")
_FLOW_ESCAPE_RE = re.compile(r'\\(["\\/]|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})')


def _fast_flow(text: str) -> Any:
    """Read the flow mappings :func:`generate_argdown` writes without the (slow) YAML parser.

    Anything outside that small subset returns ``_NOT_FAST`` and goes to the safe YAML loader.
    """
    tokens: list[tuple[str, Any]] = []
    pos, end = 0, len(text.rstrip())
    while pos < end:
        m = _FLOW_TOKEN_RE.match(text, pos)
        if m is None:
            return _NOT_FAST
        pos = m.end()
        if m.group(1):
            tokens.append((m.group(1), None))
        elif m.group(2) is not None:
            tokens.append(("v", _FLOW_ESCAPE_RE.sub(
                lambda e: e.group(1) if len(e.group(1)) == 1 else chr(int(e.group(1)[1:], 16)), m.group(2))))
        elif m.group(3):
            tokens.append(("v", int(m.group(3))))
        elif m.group(4):
            tokens.append(("v", m.group(4) == "true"))
        else:
            tokens.append(("k", m.group(5)))
    i = 0

    def value() -> Any:
        nonlocal i
        kind, v = tokens[i]
        i += 1
        if kind == "v":
            return v
        if kind == "[":
            out: list[Any] = []
            while tokens[i][0] != "]":
                out.append(value())
                if tokens[i][0] == ",":
                    i += 1
                elif tokens[i][0] != "]":
                    raise ValueError
            i += 1
            return out
        if kind == "{":
            d: dict[str, Any] = {}
            while tokens[i][0] != "}":
                if tokens[i][0] != "k" or tokens[i + 1][0] != ":" or tokens[i][1] in d:
                    raise ValueError
                key = tokens[i][1]
                i += 2
                d[key] = value()
                if tokens[i][0] == ",":
                    i += 1
                elif tokens[i][0] != "}":
                    raise ValueError
            i += 1
            return d
        raise ValueError

    try:
        result = value()
    except (ValueError, IndexError):
        return _NOT_FAST
    return result if i == len(tokens) else _NOT_FAST


def _protect(text: str) -> str:
    return _ESCAPE_RE.sub(lambda m: chr(_PUA + ord(m.group(1))), text)


def _restore(text: str) -> str:
    return _UNESCAPE_RE.sub(lambda m: chr(ord(m.group()) - _PUA), text)


def _opt_str(v: Any) -> str | None:
    return None if v is None else str(v)


def _slug(title: str) -> str:
    if ID_PATTERN.match(title):
        return title
    ascii_ = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii")
    s = re.sub(r"[^A-Za-z0-9_-]+", "-", ascii_).strip("-") or "n"
    return s if ID_PATTERN.match(s) else f"n-{s}"


def _unique(base: str, used: set[str]) -> str:
    out, k = base, 2
    while out in used:
        out, k = f"{base}-{k}", k + 1
    used.add(out)
    return out


# -- public API -------------------------------------------------------------------------------
def parse_argdown_document(text: str, path: str | os.PathLike[str] | None = None) -> ArgdownDocument:
    """Read Argdown text into an :class:`ArgdownDocument` (Argdown's own view of it).

    Example:
        >>> doc = parse_argdown_document("[A]: Tea.\\n  + <B>: Tasty.\\n  >< Coffee.")
        >>> doc.statements, doc.arguments
        (('A', 'Untitled 1'), ('B',))
        >>> [(r.type, r.from_title, r.to_title) for r in doc.relations]
        [('support', 'B', 'A'), ('contradictory', 'A', 'Untitled 1')]

    Raises:
        MapSyntaxError: The text is not in the supported subset; the message gives the line.
    """
    return _Parser(text, None if path is None else str(path)).document()


def parse_argdown(text: str, path: str | os.PathLike[str] | None = None) -> ArgumentMap:
    """Read Argdown text into a map (see the module docstring for the subset and the mapping).

    Raises:
        MapSyntaxError: The text is not in the supported subset; the message gives the line.
        InvalidMapError: The Argdown reads but does not make a valid map.
    """
    return parse_argdown_document(text, path).to_map()


def _read_text(path: Path) -> str:
    return _io.read_text(path, what="an Argdown file", fix="give the path of a .argdown file")


def read_argdown(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read an ``.argdown`` file into a map."""
    p = Path(path)
    return parse_argdown(_read_text(p), p)


def write_argdown(m: ArgumentMap, path: str | os.PathLike[str]) -> None:
    """Write the map as Argdown to ``path`` atomically."""
    _io.write_text(path, generate_argdown(m))


# -- writing ------------------------------------------------------------------------------------
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
    raise TypeError(f"cannot write {type(v).__name__} as Argdown metadata")


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
        meta["quote"] = {k: getattr(n.quote, k) for k in _QUOTE_META}
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
        ValueError: The map has a parent that is not in it (an overlay not merged with
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
        extra["sources"] = [{k: getattr(s, k) for k in _SOURCE_META} for s in m.sources]
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

