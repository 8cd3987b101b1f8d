"""Quote checking: is every quote in a map really in the source text it cites?

A quote matches when its words appear in the source exactly, in the same order. Two things are
treated as equal because the readings mix them freely: whitespace of any kind (spaces, line
breaks, no-break spaces U+00A0) and the style of quotation marks and apostrophes (straight
``'`` ``"`` or curly ``‘ ’ “ ”``; a single mark never matches a double one). Case, spelling and
other punctuation must match: a typo in the source is quoted as it stands. Superscript endnote
digits (``¹²``) are not words and are ignored, and so are invisible characters that converted
texts carry inside words (soft hyphens, zero-width spaces, a byte-order mark).

Endnotes are checked too, in a reading that marks them with superscript digits (a reading with
none, like a blog post, is checked for words only). The course rule is that an endnote marker is
attached to the sentence it closes and is cited with the quote, so a found quote's endnote is the
first run of superscript digits after its words, before its sentence ends. A sentence ends at
``.`` ``!`` ``?`` or ``…`` (with any closing quote marks or brackets) followed by a space and a word
that does not start in lower case (a stray full stop before ``which`` ends nothing), or at a blank
line; a blank line after a sentence cut off mid-way and before a line in lower case is a page
break, and the sentence runs on across it. A marker set on the next line after the full stop
still counts. A quote of several sentences may
cite the endnote of any of them. Words copied from the list of notes itself (a line such as
``- 17 See Putin's famous Munich speech ...``, or a footnote line ``¹ Simon Sebag ...``) belong to
that note. The quote's ``endnote`` must be that number; a quote whose sentence closes with a marker
must give it; a quote whose sentence has none must give none. If the words occur more than once,
any occurrence whose endnote matches will do.

Example:
    >>> import tempfile, pathlib
    >>> from argkit.model import ArgumentMap, Node, Quote, Source
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "update.txt").write_text("It is the \\u2018best\\u2019 it has been.\\u00b9\\u2074 "
    ...                                  "Trade grew.", encoding="utf-8")
    >>> m = ArgumentMap("Demo", (
    ...     Node("t", "Ties are close.", source="update", quote=Quote("the 'best' it has", endnote="14")),
    ...     Node("g", "Trade grew.", source="update", quote=Quote("Trade grew.", endnote="15"))),
    ...     sources=(Source("update"),))
    >>> [(r.ok, r.found_endnote) for r in check_quotes([m], d)]
    [(True, '14'), (False, None)]
"""

from __future__ import annotations

import difflib
import os
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from argkit import _io
from argkit._text import shorten
from argkit.errors import MapSyntaxError, SourceTextError
from argkit.model import ArgumentMap, Node

__all__ = ["QuoteResult", "SourceTextError", "check_quotes", "find_quote", "format_quotes", "normalize"]

_SINGLE = "\u2018\u2019\u201a\u201b\u2032\u02bc`\u00b4"  # ‘ ’ ‚ ‛ ′ ʼ ` ´  -> '
_DOUBLE = "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb"  # “ ” „ ‟ ″ « »  -> "
_SUPERSCRIPTS = "\u00b9\u00b2\u00b3\u2070\u2074\u2075\u2076\u2077\u2078\u2079"
# Invisible characters that text converted from PDF or the web carries inside words: soft hyphen,
# zero-width space/joiners, word joiner, byte-order mark.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_TABLE = {ord(c): "'" for c in _SINGLE} | {ord(c): '"' for c in _DOUBLE} | {
    ord(c): None for c in _SUPERSCRIPTS + _INVISIBLE
}
_NEAREST_MAX = 240  # characters of the nearest passage shown in a message
_DIGIT = {c: str(i) for i, c in enumerate("\u2070\u00b9\u00b2\u00b3\u2074\u2075\u2076\u2077\u2078\u2079")}
_END = ".!?\u2026"  # marks that can end a sentence
_CLOSING = "'\"\u2018\u2019\u201c\u201d\u00bb)]*_"  # may stand between the end mark and the marker
_INLINE_SPACE = " \t\u00a0\u202f"
_SENTENCE_MAX = 2000  # characters searched for the end of a quote's sentence
# A line of a list of notes ("- 17 See ...") or a footnote line ("¹ Simon ..."): words on it belong to that note.
_NOTE_LINE = re.compile(r"[ \t]*(?:[-*][ \t]+(\d{1,3})[ \t]|([" + "".join(_DIGIT) + r"]+)[ \t])")
_MARKERS = re.compile("[" + "".join(_DIGIT) + "]+")


@dataclass(frozen=True, slots=True)
class QuoteResult:
    """The outcome of checking one quote.

    Attributes:
        ok: True if the words were found in the source and, in a reading with endnote markers,
            the quote's ``endnote`` is the one that closes their sentence (or none, if none does).
        path: The map file the quote is written in (``None`` for a map built in code).
        line: 1-based line of the quote's text in that file, if known; for a wrong endnote, of
            the quote's ``endnote:`` line.
        column: 1-based column, if known.
        node_id: The node that carries the quote.
        quote: The quoted words as written in the map.
        source_id: The source the words were checked against (``None`` if the node names none).
        nearest: For a quote not found, the passage of the source closest to it.
        message: What happened and, for a failure, how to fix it.
        found_endnote: The endnote the source gives the quoted words (the marker that closes
            their sentence, as a string such as ``"52"``), if the words were found and are
            followed by one; for words that occur more than once, the one that matched the map
            or else the first one found.
    """

    ok: bool
    path: str | None
    line: int | None
    column: int | None
    node_id: str
    quote: str
    source_id: str | None
    nearest: str | None = None
    message: str = ""
    found_endnote: str | None = None

    def __str__(self) -> str:
        return self.message


def normalize(text: str) -> str:
    """Text reduced to what a quote must match: one space for any whitespace, plain quote marks.

    Example:
        >>> normalize("the \\u2018best\\u2019\\u00a0in\\n  \\u201chistory\\u201d\\u00b9")
        'the \\'best\\' in "history"'
    """
    return " ".join(text.translate(_TABLE).split())


class _Text:
    """A source text with its normalized form and a map back to the original offsets."""

    def __init__(self, source_id: str, raw: str):
        self.id = source_id
        self.raw = raw
        chars: list[str] = []
        where: list[int] = []
        space = True  # drop leading whitespace
        for i, ch in enumerate(raw):
            t = ch.translate(_TABLE)
            if not t:
                continue
            if t.isspace():
                if not space:
                    chars.append(" ")
                    where.append(i)
                space = True
                continue
            chars.append(t)
            where.append(i)
            space = False
        self.norm = "".join(chars)
        self.where = where
        self.word_starts = [0] + [m.end() for m in re.finditer(" ", self.norm)]
        self.has_endnotes = any(c in _DIGIT for c in raw)

    def spans(self, quote: str) -> list[tuple[int, int]]:
        """Every place the quote occurs, as ``(start, end)`` offsets in the original text."""
        q = normalize(quote)
        out = []
        i = self.norm.find(q) if q else -1
        while i >= 0:
            out.append((self.where[i], self.where[i + len(q) - 1] + 1))
            i = self.norm.find(q, i + 1)
        return out

    def _marker(self, i: int) -> str:
        j = i
        while j < len(self.raw) and self.raw[j] in _DIGIT:
            j += 1
        return "".join(_DIGIT[c] for c in self.raw[i:j])

    def note_line(self, start: int) -> str | None:
        """The number of the note whose line (in a list of notes) holds offset ``start``.

        A line that starts with a superscript is a footnote only at the start of a paragraph or
        after another footnote: right after a line of text, it is that sentence's marker.
        """
        line = self.raw.rfind("\n", 0, start) + 1
        m = _NOTE_LINE.match(self.raw, line)
        if m is None:
            return None
        if m.group(1):
            return m.group(1)
        # Walk up a run of footnote lines to its first (a loop: thousands of them once overflowed
        # the stack): a footnote when the run starts a paragraph or follows a list-of-notes line.
        cur = line
        while cur:
            prev = self.raw.rfind("\n", 0, cur - 1) + 1
            if not self.raw[prev:cur].strip():
                break
            pm = _NOTE_LINE.match(self.raw, prev)
            if pm is None:
                return None
            if pm.group(1):
                break
            cur = prev
        return self._marker(m.start(2))

    def closing(self, start: int, end: int) -> str | None:
        """The endnote marker that closes the sentence in which ``raw[start:end]`` ends, if any."""
        raw, n = self.raw, len(self.raw)
        i = end
        while i > start and raw[i - 1] in _END + _CLOSING + _INVISIBLE:
            i -= 1  # look again at the quote's own end marks
        stop = min(n, end + _SENTENCE_MAX)
        while i < stop:
            c = raw[i]
            if c in _DIGIT:
                return self._marker(i)
            if c in _END:
                k = i
                while k < n and raw[k] in _END + _CLOSING + _INVISIBLE:
                    k += 1
                m = k
                while m < n and raw[m] in _INLINE_SPACE:
                    m += 1
                if m < n and raw[m] == "\n":  # a marker set on the next line
                    m += 1
                    while m < n and raw[m] in _INLINE_SPACE:
                        m += 1
                if m < n and raw[m] in _DIGIT:
                    return self._marker(m)
                if k < n and not raw[k].isspace():
                    i = k  # "...occupied", "E.H.Carr": not the end of the sentence
                    continue
                while k < n and raw[k].isspace():
                    k += 1
                if k >= n or not raw[k].islower():
                    return None
                i = k  # a stray full stop before a word in lower case
                continue
            if c == "\n":
                k = i + 1
                while k < n and raw[k] in _INLINE_SPACE:
                    k += 1
                if k < n and raw[k] == "\n":  # a blank line, with no end mark before it
                    while k < n and raw[k].isspace():
                        k += 1
                    if k >= n or not raw[k].islower():
                        return None  # a heading, a caption, the end of a list
                    i = k  # a page break inside the sentence
                    continue
            i += 1
        return None

    def endnotes(self, start: int, end: int) -> tuple[tuple[str, ...], bool]:
        """The endnotes a quote at ``raw[start:end]`` may cite, and whether it is the text of a note.

        Those are the marker that closes its (last) sentence and any marker inside the quote,
        which closes an earlier sentence of it; or, for words on a line of the list of notes,
        that note's number.
        """
        note = self.note_line(start)
        if note is not None:
            return (note,), True
        inner = ["".join(_DIGIT[c] for c in m.group())
                 for m in _MARKERS.finditer(self.raw, start, end)]
        last = self.closing(start, end)
        found = [*inner, last] if last is not None else inner
        return tuple(dict.fromkeys(found)), False

    def nearest(self, quote: str) -> str:
        """The passage most like ``quote``: difflib over windows of the quote's length."""
        q = normalize(quote)
        if not q or not self.norm:
            return ""
        # Only the quote's beginning is searched for: the passage shown is no longer than that, and
        # comparing every window with the whole of a long quote took minutes (18 KB: over 300 s).
        if len(q) > _NEAREST_MAX:
            q = q[:_NEAREST_MAX].rsplit(" ", 1)[0] or q[:_NEAREST_MAX]
        size = len(q)
        matcher = difflib.SequenceMatcher(None, autojunk=False)
        matcher.set_seq2(q)
        scored = []
        for start in self.word_starts:
            matcher.set_seq1(self.norm[start:start + size])
            scored.append((matcher.quick_ratio(), start))
        scored.sort(reverse=True)
        best, best_start = -1.0, 0
        for _, start in scored[:40]:
            matcher.set_seq1(self.norm[start:start + size])
            r = matcher.ratio()
            if r > best:
                best, best_start = r, start
        end = min(len(self.norm), best_start + size)
        # widen to whole words of the original text
        while end < len(self.norm) and self.norm[end] != " ":
            end += 1
        a = self.where[best_start]
        b = self.where[end - 1] + 1
        return shorten(self.raw[a:b], _NEAREST_MAX)


def find_quote(quote: str, text: str) -> bool:
    """True if ``quote`` occurs in ``text`` under the matching rules of this module.

    Example:
        >>> find_quote("‘better than allies’", "were not just allies, but 'better than allies'!")
        True
        >>> find_quote("Better than allies", "but 'better than allies'!")
        False
    """
    q = normalize(quote)
    return bool(q) and q in normalize(text)


SOURCE_MAX_BYTES = 20_000_000  # a reading is a book at most


def _read_source(p: Path) -> str:
    """A reading's text, through the same boundary as a map (regular file, size, UTF-8).

    A reading may carry control characters a map may not (a form feed between PDF pages):
    those become spaces.
    """
    data = _io.read_bytes(p, limit=SOURCE_MAX_BYTES, what="a source text", fix="give a .txt file")
    try:
        return _io.decode(data, _io.display_path(p))
    except MapSyntaxError as e:
        if e.diagnostic.code != "bad-character":
            raise
    text = data.decode("utf-8").removeprefix("\ufeff")
    return _io.REFUSED.sub(" ", text)


def _source_files(folder: Path) -> dict[str, Path]:
    """Source id -> text file, from ``index.yaml`` (if any) and ``<id>.txt`` files."""
    if not folder.is_dir():
        raise SourceTextError(
            f"{folder}: no such folder of source texts; give the folder that holds the readings "
            "(the .txt files and their index.yaml) with --sources")
    files = {p.stem: p for p in sorted(folder.glob("*.txt"))}
    index = folder / "index.yaml"
    if os.path.lexists(index):  # a FIFO or a dangling link is reported, not skipped
        try:
            text = _io.read_text(index, what="an index of source texts",
                                 fix="it must map each source id to 'file: name.txt'")
            data = _io.Loader(text).get_single_data()
        except MapSyntaxError as e:
            raise SourceTextError(f"{e}") from None
        except yaml.YAMLError as e:
            mark = getattr(e, "problem_mark", None)
            where = f"{index}:{mark.line + 1}:{mark.column + 1}" if mark else str(index)
            raise SourceTextError(f"{where}: cannot read the index of source texts "
                                  f"({getattr(e, 'problem', None) or 'invalid YAML'}); "
                                  "it must map each source id to 'file: name.txt'") from None
        except (_io.AliasFound, _io.TooDeep):
            raise SourceTextError(f"{index}: the index of source texts uses YAML anchors or is nested "
                                  "too deeply; it must map each source id to 'file: name.txt'") from None
        if data is not None and not isinstance(data, dict):
            raise SourceTextError(f"{index}: the index must map each source id to 'file: name.txt' "
                                  f"(got {type(data).__name__})")
        indexed: dict[str, Path] = {}
        for sid, entry in (data or {}).items():
            name = entry.get("file") if isinstance(entry, dict) else entry
            if isinstance(name, str):
                indexed[str(sid)] = folder / name
        # a file the index names is known by its id only, not also by its file name
        named = {p.name for p in indexed.values()}
        files = {k: p for k, p in files.items() if p.name not in named} | indexed
    return files


def _quote_place(
    m: ArgumentMap, node_id: str, field: str = "text"
) -> tuple[str | None, int | None, int | None]:
    """File, line and column of a node's quote text: in the overlay or the map it extends.

    With ``field="endnote"``, of the quote's ``endnote:`` line; its line is ``None`` if there is none.
    """
    layer = m
    while layer.base is not None and node_id in layer.base:  # the layer that wrote the claim
        layer = layer.base
    loc = layer.locations.get(("quote-of", node_id, field))
    if field == "text":
        loc = loc or layer.locations.get(("quote-of", node_id, ""))
    return (layer.path, *(loc or (None, None)))


def _display_path(path: str | None) -> str | None:
    """A path as the user would type it: relative to the working folder when inside it."""
    if path is None:
        return None
    p = Path(path)
    if p.is_absolute():
        try:
            return p.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path
    return path


def _place(path: str | None, line: int | None, column: int | None) -> str:
    return ":".join(str(p) for p in (path or "<map>", line, column) if p is not None)


def check_quotes(
    maps: Iterable[ArgumentMap], sources_dir: str | os.PathLike[str]
) -> list[QuoteResult]:
    """Check every quote of the maps against the source texts in ``sources_dir``.

    Each node's quote is looked up in ``quote.source`` if set, else in the node's ``source``.
    The folder holds one text file per source: ``index.yaml`` maps ids to files
    (``cox-2022-blog: {file: 000_77cd.txt}``); without an entry, ``<id>.txt`` is used.
    A quote that appears in several maps (an overlay and the map it extends) is checked once.

    Returns:
        One :class:`QuoteResult` per quote, in map order; ``ok`` is False for a quote whose words
        are not in the source, whose source has no text in the folder, or whose endnote is not
        the one the source gives its sentence (see the module docs for the rule).

    Raises:
        SourceTextError: ``sources_dir`` is not a folder, or its ``index.yaml`` is unreadable.
    """
    folder = Path(sources_dir)
    files = _source_files(folder)
    texts: dict[str, _Text | str] = {}  # id -> text, or why there is none
    results: list[QuoteResult] = []
    seen: set[tuple[str | None, str, str, str | None]] = set()
    for m in maps:
        for n in m.nodes:
            if n.quote is None:
                continue
            sid = n.quote.source or n.source
            path, line, col = _quote_place(m, n.id)
            path = _display_path(path)
            key = (path and str(Path(path).resolve()), n.id, n.quote.text, sid)
            if key in seen:
                continue
            seen.add(key)
            npath, nline, ncol = _quote_place(m, n.id, "endnote")
            note_place = ((_display_path(npath), nline, ncol) if nline is not None
                          else (path, line, col))
            results.append(_check_one(n, sid, (path, line, col), note_place, folder, files, texts))
    return results


def _check_one(
    n: Node,
    sid: str | None,
    place: tuple[str | None, int | None, int | None],
    note_place: tuple[str | None, int | None, int | None],
    folder: Path,
    files: dict[str, Path],
    texts: dict[str, _Text | str],
) -> QuoteResult:
    assert n.quote is not None
    at = _place(*place)
    quote = n.quote.text

    def fail(message: str, nearest: str | None = None) -> QuoteResult:
        return QuoteResult(False, *place, n.id, quote, sid, nearest, message)

    known = ", ".join(sorted(files)) or "none"
    if sid is None:
        return fail(f"{at}: quote of node '{n.id}' names no source to check it against; add "
                    f"'source:' to the node (or 'source:' under its quote); texts exist for: {known}")
    if sid not in texts:
        p = files.get(sid)
        try:
            texts[sid] = (_Text(sid, _read_source(p)) if p is not None else "there is no text for it")
        except MapSyntaxError as e:
            assert p is not None  # only a file that exists can fail to be read
            d = e.diagnostic
            texts[sid] = (f"its file {_io.display_path(p.name)} (named in index.yaml) does not exist"
                          if d.message == "no such file" else
                          f"its file {_io.display_path(p.name)} is not UTF-8 text (save it as UTF-8)"
                          if d.code == "not-utf8" else
                          f"its file {_io.display_path(p.name)} cannot be used: {d.message}")
    text = texts[sid]
    if isinstance(text, str):
        why = text
        return fail(f"{at}: quote of node '{n.id}' cites source '{sid}', but {why} in {folder} "
                    f"(texts exist for: {known}); add {sid}.txt or an index.yaml entry "
                    f"'{sid}: {{file: NAME.txt}}', or set the quote's 'source:' to the reading "
                    "the words are printed in")
    if not normalize(quote):
        return fail(f"{at}: quote of node '{n.id}' is empty; copy the words from the source")
    spans = text.spans(quote)
    if spans:
        return _check_endnote(n, sid, text, spans, place, note_place)
    near = text.nearest(quote)
    return fail(f"{at}: quote of node '{n.id}' not found in {sid}; nearest passage: \"{near}\"; "
                "copy the words from the source exactly", near)


def _says(notes: tuple[str, ...], in_note: bool) -> str:
    """What the text gives one occurrence of a quote, in words."""
    if in_note:
        return f"the words are in the text of endnote {notes[0]}"
    if not notes:
        return "its sentence closes with no endnote marker"
    if len(notes) == 1:
        return f"the sentence closes with endnote {notes[0]}"
    return "its sentences close with endnotes " + ", ".join(notes[:-1]) + f" and {notes[-1]}"


def _few(items: Iterable[str], n: int = 8) -> str:
    """Up to ``n`` items, comma-separated."""
    items = list(items)
    return ", ".join(items[:n]) + (", ..." if len(items) > n else "")


def _check_endnote(
    n: Node,
    sid: str,
    text: _Text,
    spans: list[tuple[int, int]],
    place: tuple[str | None, int | None, int | None],
    note_place: tuple[str | None, int | None, int | None],
) -> QuoteResult:
    """The result for a quote whose words were found: is its endnote the one the text gives?"""
    assert n.quote is not None
    quote = n.quote.text
    given = str(n.quote.endnote).strip() if n.quote.endnote is not None else None
    given = given or None
    found = f"quote of node '{n.id}' found in {sid}"
    if not text.has_endnotes:  # a reading without endnote markers: words only
        return QuoteResult(True, *place, n.id, quote, sid, None,
                           f"{_place(*place)}: {found}: \"{shorten(quote)}\"")
    seen = list(dict.fromkeys(text.endnotes(a, b) for a, b in spans))
    for notes, _ in seen:
        if (given in notes) if given is not None else not notes:
            shown = f"{found}, n. {given}" if given else found
            return QuoteResult(True, *place, n.id, quote, sid, None,
                               f"{_place(*place)}: {shown}: \"{shorten(quote)}\"", given)
    first = next((notes[-1] for notes, _ in seen if notes), None)
    where = note_place if given else place  # the line to fix
    if len(seen) > 1:
        body = _few(dict.fromkeys(x for notes, in_note in seen if not in_note for x in notes))
        notes_text = _few(dict.fromkeys(notes[0] for notes, in_note in seen if in_note))
        told = [f"in sentences closed by endnote {body}" if body else "",
                "in sentences with no endnote" if any(not notes for notes, _ in seen) else "",
                f"in the text of endnote {notes_text}" if notes_text else ""]
        says = f"the map says {given}" if given else "the map gives none"
        fix = (f"the words occur {len(spans)} times in {sid} ({'; '.join(filter(None, told))}) "
               f"and {says}; set 'endnote:' to the one you mean, or quote more words so that "
               "they occur once")
    else:
        notes, in_note = seen[0]
        if given is None:
            fix = (f"{_says(notes, in_note)} and the map gives none; add 'endnote: {notes[-1]}' "
                   "under the quote (cite the note number with the quote)")
        elif not notes:
            fix = (f"the map says endnote {given} and {_says(notes, in_note)}; remove "
                   f"'endnote: {given}', or quote the sentence that note {given} closes")
        else:
            fix = f"{_says(notes, in_note)}, the map says {given}; fix endnote: {notes[-1]}"
    return QuoteResult(False, *where, n.id, quote, sid, None, f"{_place(*where)}: {found}, but {fix}", first)


def format_quotes(m: ArgumentMap, focus: str | None = None, depth: int | None = None) -> str:
    """The quotes of a map (or of the claims from ``focus`` down) as text to read beside a drawing.

    One entry per claim in tree order: id, author, source and endnote, then the exact words.
    A claim with no quote says so, since its text is paraphrase.

    Example:
        >>> from argkit.model import ArgumentMap, Node, Quote
        >>> m = ArgumentMap("Demo", (Node("t", "Ties are close.", author="Cox", source="blog",
        ...                               quote=Quote("the ‘best’", endnote="3")),
        ...                          Node("o", "They will split.", parent="t", stance="con")))
        >>> print(format_quotes(m))
        t · Cox · blog, n. 3
            “the ‘best’”
        o
            (no quote: the claim is paraphrase)
    """
    out: list[str] = []
    for n, d in m.walk(focus):
        if depth is not None and d > depth:
            continue
        q = n.quote
        sid = (q.source if q is not None and q.source else None) or n.source
        where = sid or ""
        if q is not None and q.endnote:
            where += f", n. {q.endnote}"
        elif q is not None and q.page:
            where += f", p. {q.page}"
        out.append(" · ".join(x for x in (n.id, n.author, where) if x))
        if q is None:
            out.append("    (no quote: the claim is paraphrase)")
        else:
            words = "“" + " ".join(q.text.split()) + "”"
            out.extend(textwrap.wrap(words, width=96, initial_indent="    ", subsequent_indent="    "))
    return "\n".join(out)
