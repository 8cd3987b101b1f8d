"""Argdown text to lines and items: front matter, comments, escapes, metadata, one item per element."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from argkit import _io
from argkit._text import shorten
from argkit.errors import Diagnostic, MapSyntaxError

__all__ = ["PCS_RE", "Item", "Text", "front_matter", "items", "protect", "read_metadata", "read_text", "restore", "split_meta",
           "syntax_error"]

# Escaped characters are swapped for code points of a private-use plane while the structure is
# read, so that an escaped '[' or '#' can never start a title or a tag.
_PUA = 0xF0000
_PUA_RE = re.compile("[\U000f0000-\U000f007f]")
_ESCAPE_RE = re.compile(r"\\([!-/:-@\[-`{-~])")
_UNESCAPE_RE = re.compile("[\U000f0021-\U000f007e]")

_REL_RE = re.compile(r"(<\+|<-|<_|\+>|->|_>|><|\+|-|_)\s+(\S.*)$")
PCS_RE = re.compile(r"\((\d+)\)\s*(.*)$")
_INF_BAR_RE = re.compile(r"-{2,}\s*$")
_INF_INLINE_RE = re.compile(r"--\s*(\S.*?)\s*-{2,}\s*$")
_HEADING_RE = re.compile(r"(#{1,6})\s+(.*)$")
_LIST_RE = re.compile(r"(\*|\d+\.)\s+(.*)$")
_COMMENT_START_RE = re.compile(r"\\.|<!--|/\*|(?:(?<=\s)|^)//", re.MULTILINE)
_COMMENT_CLOSE = {"<!--": "-->", "/*": "*/", "//": "\n"}
_UNTIL_BRACE_RE = re.compile(r"(?:[^\\{]|\\.)*", re.DOTALL)


def syntax_error(path: str | None, line: int | None, column: int | None, message: str, fix: str,
                 got: str | None = None, code: str = "argdown-syntax") -> MapSyntaxError:
    """The error for Argdown that argkit cannot read, at its place, with how to fix it."""
    return MapSyntaxError(Diagnostic(path, line, column, message, got=got, fix=fix, code=code))


def protect(text: str) -> str:
    """Escaped characters (``\\[``) as private-use code points, so they start no structure."""
    return _ESCAPE_RE.sub(lambda m: chr(_PUA + ord(m.group(1))), text)


def restore(text: str) -> str:
    """The escaped characters back, without their backslashes."""
    return _UNESCAPE_RE.sub(lambda m: chr(ord(m.group()) - _PUA), text)


@dataclass
class Item:
    """One element as written: the lines it spans joined into ``parts``.

    ``kind`` is ``top`` (a line that starts a block), ``rel`` (a relation, ``symbol`` ``+``,
    ``->``...), ``pcs`` (``(1) ...``), ``list``, ``heading`` (``symbol`` the hashes) or
    ``inference`` (``----`` or ``-- rule --``; ``parts`` holds the rule).
    """

    kind: str
    line: int
    column: int
    indent: int
    parts: list[str] = field(default_factory=list)
    symbol: str | None = None

    @property
    def content(self) -> str:
        return " ".join(p for p in self.parts if p)


@dataclass
class Text:
    """A text split into its front matter and its body lines, comments removed."""

    front_matter: dict[str, Any]
    front_matter_line: int | None
    lines: list[tuple[int, str]]  # (1-based line number, text without comments, tabs as spaces)


def read_text(text: str, path: str | None) -> Text:
    """Split Argdown text into front matter and comment-free body lines.

    Raises:
        MapSyntaxError: A character argkit refuses, an unclosed front matter or comment.
    """
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    for pattern, why, fix in ((_io.REFUSED, "the text contains the invisible character",
                               "delete it (most editors do not show it)"),
                              (_PUA_RE, "the text contains a private-use character argkit reserves",
                               "remove the character (U+F0000..U+F007F)")):
        bad = pattern.search(text)
        if bad:
            before = text[: bad.start()]
            line, col = before.count("\n") + 1, bad.start() - before.rfind("\n")
            what = f"{why} {_io.refused_char(bad.group())}" if pattern is _io.REFUSED else why
            raise syntax_error(path, line, col, what, fix, got=None if pattern is _io.REFUSED else repr(bad.group()),
                               code="bad-character" if pattern is _io.REFUSED else "argdown-syntax")
    lines = text.split("\n")
    front, front_line, start = _front_matter(lines, path)
    return Text(front, front_line, _strip_comments("\n".join(lines[start:]), start, path))


def front_matter(text: str, path: str | None = None) -> dict[str, Any]:
    """Only the front matter of Argdown text (``{}`` if there is none), read safely."""
    return _front_matter(text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n"),
                         path)[0]


def _front_matter(lines: list[str], path: str | None) -> tuple[dict[str, Any], int | None, int]:
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None or lines[first].strip() != "===":
        return {}, None, 0
    end = next((i for i in range(first + 1, len(lines)) if lines[i].strip() == "==="), None)
    if end is None:
        raise syntax_error(path, first + 1, 1, "the front matter that starts here is not closed",
                           "end it with a line '===' (or remove the '===' line)")
    front = read_metadata("\n".join(lines[first + 1:end]), path, first + 2, "front matter") or {}
    if not isinstance(front, dict):
        raise syntax_error(path, first + 2, 1, "the front matter must be 'key: value' lines",
                           "write e.g. 'title: My debate' between the '===' lines")
    return front, first + 1, end + 1


def read_metadata(text: str, path: str | None, line: int, what: str) -> Any:
    """YAML of the front matter or of ``{...}`` metadata, read safely (no anchors, bounded depth).

    Raises:
        MapSyntaxError: Anchors, nesting too deep, or YAML that cannot be read, at ``line``.
    """
    loader = None
    try:
        loader = _io.Loader(text)
        return loader.get_single_data()
    except (_io.AliasFound, _io.TooDeep):
        raise syntax_error(path, line, None, f"the {what} uses YAML anchors or is nested too deeply",
                           "write the values out in full") from None
    except yaml.YAMLError as e:
        problem = getattr(e, "problem", None) or "invalid YAML"
        mark = getattr(e, "problem_mark", None)
        raise syntax_error(path, line + (mark.line if mark else 0), None, f"cannot read the {what}: {problem}",
                           "write it as {key: value, other: 'text'} and quote text with ':' or ','",
                           got=shorten(text)) from None
    finally:
        if loader is not None:
            loader.dispose()


def split_meta(content: str, item: Item, path: str | None) -> tuple[str, dict[str, Any]]:
    """An element's text and its trailing ``{key: value}`` metadata."""
    i = _UNTIL_BRACE_RE.match(content).end()  # type: ignore[union-attr]  # matches every string
    if i >= len(content):
        return content, {}
    raw = content[i:].strip()
    if not raw.endswith("}"):
        raise syntax_error(path, item.line, item.column, "a '{' in the middle of a text",
                           "metadata {key: value} goes at the end of the element; write \\{ for a brace",
                           got=raw[:60])
    meta = read_metadata(raw, path, item.line, "metadata")
    if not isinstance(meta, dict):
        raise syntax_error(path, item.line, item.column, "metadata must be {key: value, ...}",
                           "write e.g. {author: 'Michael Cox'}", got=raw[:60])
    return content[:i], meta


def _strip_comments(body: str, offset: int, path: str | None) -> list[tuple[int, str]]:
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
                raise syntax_error(path, offset + before.count("\n") + 1, len(before) - before.rfind("\n"),
                                   f"the comment '{token}' is not closed", f"end the comment with '{closer}'")
        elif closer != "\n":
            end += len(closer)
        out.append(body[pos:m.start()])
        out.append("\n" * body.count("\n", m.start(), end))
        pos = end
    out.append(body[pos:])
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


def items(lines: list[tuple[int, str]], path: str | None) -> Iterator[Item | None]:
    """The items of the body, with ``None`` for each blank line (the end of a block).

    A line that starts no item continues the one before it; at the start of a block it starts a
    ``top`` item.
    """
    current: Item | None = None
    in_block = False
    i = 0
    while i < len(lines):
        lineno, raw = lines[i]
        if not raw.strip():
            if current is not None:
                yield current
            current, in_block = None, False
            yield None
            i += 1
            continue
        indent = len(raw) - len(raw.lstrip(" "))
        content = raw.strip()
        col = indent + 1
        new: Item | None = None
        if (m := _INF_INLINE_RE.match(content)) and not content.startswith("---"):
            new = Item("inference", lineno, col, indent, [m.group(1)])
        elif _INF_BAR_RE.match(content):
            rule_lines: list[str] = []
            if content == "--" and not (i + 1 < len(lines) and PCS_RE.match(lines[i + 1][1].strip())):
                j = i + 1
                while j < len(lines) and not _INF_BAR_RE.match(lines[j][1].strip()):
                    if not lines[j][1].strip():
                        break
                    rule_lines.append(lines[j][1].strip())
                    j += 1
                if j >= len(lines) or not lines[j][1].strip():
                    raise syntax_error(path, lineno, col, "the inference rule that starts here has no closing '--'",
                                       "write the rule between two '--' lines, or use '----' alone")
                i = j
            new = Item("inference", lineno, col, indent, [" ".join(rule_lines)])
        elif m := PCS_RE.match(content):
            new = Item("pcs", lineno, col, indent, [m.group(2)])
        elif m := _REL_RE.match(content):
            new = Item("rel", lineno, col, indent, [m.group(2)], symbol=m.group(1))
        elif m := _HEADING_RE.match(content):
            new = Item("heading", lineno, col, indent, [m.group(2)], symbol=m.group(1))
        elif m := _LIST_RE.match(content):
            new = Item("list", lineno, col, indent, [m.group(2)])
        elif not in_block:
            new = Item("top", lineno, col, indent, [content])
        if new is None:
            if current is None:
                raise syntax_error(path, lineno, col, "this line continues nothing",
                                   "put it after a statement, or leave a blank line before it")
            current.parts.append(content)
        else:
            if current is not None:
                yield current
            current, in_block = new, True
        i += 1
    if current is not None:
        yield current
    yield None
