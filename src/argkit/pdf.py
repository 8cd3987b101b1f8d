"""PDF handouts of maps: Graphviz's SVG drawn as vector graphics by ReportLab, with argkit's fonts.

A teacher printing a map wants lines and text that stay sharp at any size, so the PDF is vector,
not a picture. Graphviz writes a small part of SVG (polygons, polylines, Bézier paths, ellipses
and single-line text, in one group with one transform), and this module draws exactly that part
on a ReportLab canvas (``reportlab`` from PyPI, pure Python, pinned). Text is set in the fonts the
PNG uses (``argkit/fonts``: Liberation Sans, and the DejaVu symbols cut-down for characters such
as ✔ ✘ ✎ that Liberation Sans lacks), embedded as subsets, never the machine's fonts; ReportLab's
invariant mode records a fixed date (2000-01-01) and derives the document id from it, so the same
SVG gives the same bytes everywhere. (Only a ``SOURCE_DATE_EPOCH`` in the environment, the
reproducible-builds convention, changes the date recorded, and so the bytes.)

Example:
    >>> from argkit.engine import render_dot
    >>> pdf = svg_to_pdf(render_dot('digraph { a -> b }'))
    >>> pdf[:5], pdf.count(b"/Type /Page\\n"), b"LiberationSans" in pdf
    (b'%PDF-', 1, True)
"""

from __future__ import annotations

import functools
import io
import re
import xml.etree.ElementTree as ET
from typing import Any

from argkit.errors import ArgkitError, EngineError
from argkit.raster import font_files

__all__ = ["PAPERS", "paper_size", "smallest_text", "svg_to_pdf", "visual_order"]

_MM = 72 / 25.4
# Portrait sizes in points; a map goes on the page the way round that shows it largest, unless
# the name says ``-landscape`` or ``-portrait``.
PAPERS = {"a4": (210 * _MM, 297 * _MM), "a3": (297 * _MM, 420 * _MM), "letter": (612.0, 792.0)}
MARGIN = 10 * _MM  # most office printers cannot print nearer the edge than about 5 mm
_SVG = "{http://www.w3.org/2000/svg}"
_FONT, _SYMBOLS = "ArgkitSans", "ArgkitSymbols"  # ReportLab's registry is global: names of our own
_NUMBER = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TRANSFORM = re.compile(r"(scale|rotate|translate)\(([^)]*)\)")


def paper_size(paper: str, width: float, height: float) -> tuple[float, float]:
    """The page, in points, for a drawing ``width`` × ``height``: ``"a4"``, ``"a4-landscape"``, ...

    Example:
        >>> [round(v) for v in paper_size("a4", 900, 300)]  # a wide map: landscape
        [842, 595]
        >>> [round(v) for v in paper_size("a4-portrait", 900, 300)]
        [595, 842]
    """
    name, _, turn = paper.lower().partition("-")
    if name not in PAPERS or turn not in ("", "landscape", "portrait"):
        choices = ", ".join(f"{p!r}" for p in PAPERS)
        raise ArgkitError(f"unknown paper {paper!r} (must be one of {choices}, optionally with "
                          f"'-landscape' or '-portrait', e.g. 'a4-landscape')")
    short, long = PAPERS[name]
    if turn == "":
        turn = "landscape" if width > height else "portrait"
    return (long, short) if turn == "landscape" else (short, long)


def _view_box(root: ET.Element) -> list[float]:
    view = _floats(root.get("viewBox"))
    if root.tag != f"{_SVG}svg" or len(view) != 4 or view[2] <= 0 or view[3] <= 0:
        raise EngineError("cannot draw the map as PDF: the SVG has no viewBox (not Graphviz's SVG)")
    return view


def _parse(svg: str) -> ET.Element:
    try:
        return ET.fromstring(svg.encode("utf-8"))
    except ET.ParseError as e:
        raise EngineError(f"cannot draw the map as PDF: its SVG is not well-formed ({e})") from e


def _fit(paper: str | None, width: float, height: float) -> tuple[tuple[float, float], float]:
    """The page and the drawing's scale on it."""
    if paper is None:
        return (width, height), 1.0
    page = paper_size(paper, width, height)
    return page, min((page[0] - 2 * MARGIN) / width, (page[1] - 2 * MARGIN) / height)


def smallest_text(svg: str, paper: str | None = None) -> float:
    """The height in points of the smallest text on the page (below about 6 pt a handout is hard to read).

    Example:
        >>> from argkit.engine import render_dot
        >>> smallest_text(render_dot('digraph { a [fontsize=9] }'))
        9.0
    """
    root = _parse(svg)
    view = _view_box(root)
    sizes = [float(e.get("font-size", "14")) for e in root.iter(f"{_SVG}text")]
    return round(min(sizes, default=0.0) * _fit(paper, view[2], view[3])[1], 1)


def svg_to_pdf(svg: str, *, paper: str | None = None, title: str | None = None) -> bytes:
    """Draw SVG text (as Graphviz writes it) as a one-page vector PDF.

    Args:
        svg: The SVG document.
        paper: ``None`` for a page the size of the drawing (1 SVG point = 1 PDF point; a printer's
            "fit to page" scales it), or a paper such as ``"a4"`` or ``"a4-landscape"``
            (:data:`PAPERS`): the drawing is scaled to fit inside a 10 mm margin and centred.
        title: The document title a PDF viewer shows (the map's title).

    Returns:
        PDF bytes, identical for the same arguments on every machine.

    Raises:
        EngineError: ``reportlab`` is missing or the SVG is not Graphviz's.
        ArgkitError: ``paper`` is not a known paper.
    """
    canvas_module, pdfmetrics = _reportlab()
    root = _parse(svg)
    view = _view_box(root)
    width, height = view[2], view[3]
    page, scale = _fit(paper, width, height)
    out = io.BytesIO()
    c = canvas_module.Canvas(out, pagesize=page, invariant=1, pageCompression=1, initialFontName=_FONT)
    c.setCreator("argkit")
    c.setProducer("argkit")  # not ReportLab's version line: the bytes change only with argkit's pins
    c.setTitle(title or "")
    # SVG's y axis points down: flip the page once, centre the drawing, then draw in SVG units.
    c.translate((page[0] - width * scale) / 2, (page[1] + height * scale) / 2)
    c.scale(scale, -scale)
    c.translate(-view[0], -view[1])
    _Painter(c, pdfmetrics).group(root)
    c.showPage()
    c.save()
    return out.getvalue()


def _reportlab() -> tuple[Any, Any]:
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
        from reportlab.pdfgen import canvas
    except ImportError as e:  # pragma: no cover - a hard dependency
        raise EngineError("cannot make a PDF: the 'reportlab' package is missing; reinstall argkit "
                          "(pip install 'reportlab==5.1.0')") from e
    registered = pdfmetrics.getRegisteredFontNames()
    for name, path in zip((_FONT, _SYMBOLS), font_files(), strict=True):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, path))
    return canvas, pdfmetrics


@functools.lru_cache(maxsize=256)
def _colour(name: str) -> Any:
    """A ReportLab colour for an SVG colour (a map uses a dozen, thousands of times)."""
    from reportlab.lib import colors

    return colors.toColor(name)


def _floats(text: str | None) -> list[float]:
    return [float(v) for v in _NUMBER.findall(text or "")]


class _Painter:
    """Draws the elements of Graphviz's SVG on a ReportLab canvas, in document order."""

    def __init__(self, canvas: Any, pdfmetrics: Any) -> None:
        self.c = canvas
        self.metrics = pdfmetrics
        self.in_font = pdfmetrics.getFont(_FONT).face.charToGlyph.__contains__
        self.in_symbols = pdfmetrics.getFont(_SYMBOLS).face.charToGlyph.__contains__

    def group(self, element: ET.Element) -> None:
        for child in element:
            tag = child.tag.removeprefix(_SVG)
            if tag in ("g", "a"):  # <a> carries only a tooltip (xlink:title): draw what it holds
                self.c.saveState()
                self._transform(child.get("transform"))
                self.group(child)
                self.c.restoreState()
            elif tag == "text":
                self._text(child)
            elif tag in ("polygon", "polyline", "path", "ellipse"):
                self._shape(tag, child)
            # <title>, <desc> and comments draw nothing

    def _transform(self, text: str | None) -> None:
        for op, args in _TRANSFORM.findall(text or ""):
            v = _floats(args)
            if op == "scale" and v:
                self.c.scale(v[0], v[1] if len(v) > 1 else v[0])
            elif op == "rotate" and v:
                self.c.rotate(v[0])  # the canvas is flipped like SVG, so the angle's sense is SVG's
            elif op == "translate" and v:
                self.c.translate(v[0], v[1] if len(v) > 1 else 0.0)

    def _paint(self, e: ET.Element) -> tuple[bool, bool]:
        """Set the canvas's colours, line and dashes from ``e``; whether to fill and to stroke."""
        fill, stroke = e.get("fill", "black"), e.get("stroke", "none")
        filled, stroked = fill not in ("none", "transparent"), stroke not in ("none", "transparent")
        try:
            if filled:
                self.c.setFillColor(_colour(fill))
                self.c.setFillAlpha(float(e.get("fill-opacity", "1")))
            if stroked:
                self.c.setStrokeColor(_colour(stroke))
                self.c.setStrokeAlpha(float(e.get("stroke-opacity", "1")))
        except ValueError as err:
            raise EngineError(f"cannot draw the map as PDF: unknown colour in the SVG ({err})") from err
        self.c.setLineWidth(float(e.get("stroke-width", "1")))
        dashes = _floats(e.get("stroke-dasharray"))
        self.c.setDash(dashes if dashes and any(dashes) else [])
        return filled, stroked

    def _shape(self, tag: str, e: ET.Element) -> None:
        filled, stroked = self._paint(e)
        if tag == "polyline":
            filled = False  # Graphviz's polylines are open lines
        if not (filled or stroked):
            return
        p = self.c.beginPath()
        if tag == "ellipse":
            cx, cy = float(e.get("cx", "0")), float(e.get("cy", "0"))
            rx, ry = float(e.get("rx", "0")), float(e.get("ry", "0"))
            p.ellipse(cx - rx, cy - ry, 2 * rx, 2 * ry)
        elif tag == "path":
            _path(p, e.get("d", ""))
        else:
            v = _floats(e.get("points"))
            points = list(zip(v[::2], v[1::2], strict=False))
            if not points:
                return
            p.moveTo(*points[0])
            for x, y in points[1:]:
                p.lineTo(x, y)
            if tag == "polygon":
                p.close()
        self.c.drawPath(p, stroke=int(stroked), fill=int(filled))

    def _text(self, e: ET.Element) -> None:
        text = "".join(e.itertext())
        if not text:
            return
        size = float(e.get("font-size", "14"))
        runs = self._runs(visual_order(text))
        widths = [self.metrics.stringWidth(run, font, size) for font, run in runs]
        x, y = float(e.get("x", "0")), float(e.get("y", "0"))
        anchor = e.get("text-anchor", "start")
        x -= sum(widths) / (2 if anchor == "middle" else 1) if anchor in ("middle", "end") else 0
        fill = e.get("fill", "black")
        if fill == "none":
            return
        self._paint(e)
        self.c.saveState()
        self.c.translate(x, y)
        self.c.scale(1, -1)  # text stands upright on the flipped canvas
        t = self.c.beginText(0, 0)
        for font, run in runs:
            t.setFont(font, size)
            t.textOut(run)
        self.c.drawText(t)
        self.c.restoreState()

    def _runs(self, text: str) -> list[tuple[str, str]]:
        """``text`` cut into runs of one font: Liberation Sans, or the symbols font where it lacks a glyph.

        A character neither font has (Chinese, Arabic, emoji) is drawn as a box, as resvg draws it
        in the PNG, so a reader sees that something is there; invisible format characters (joiners,
        variation selectors) are left out.
        """
        runs: list[tuple[str, str]] = []
        for ch in _INVISIBLE.sub("", text):
            if self.in_font(ord(ch)) or ch.isspace():
                font = _FONT
            else:
                font, ch = _SYMBOLS, ch if self.in_symbols(ord(ch)) else _MISSING
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs


# Default-ignorable characters that draw nothing (zero-width spaces and joiners, marks, word
# joiners, variation selectors, the byte order mark), and the box drawn for a missing glyph.
_INVISIBLE = re.compile("[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
                        "\u202a-\u202e\u2060-\u206f\ufe00-\ufe0f\ufeff\U000e0000-\U000e0fff]")
_MISSING = "\u25af"  # ▯, in the symbols font, about as wide as a letter


# -- right-to-left text ---------------------------------------------------------------------------
# A PDF shows glyphs in the order they are written, so a line with Hebrew in it is put in display
# order here, as a browser and resvg do with SVG text: Unicode's bidirectional algorithm (UAX #9)
# for one line of SVG's default direction (left to right) without explicit embeddings (the
# renderer removes those): numbers stay left to right, bracket pairs resolve together, brackets
# are mirrored.
_STRONG_RTL = {"R", "AL"}
_NUMBER_TYPES = {"EN", "AN"}
_MIRROR = dict(zip("()[]{}<>«»‹›", ")(][}{><»«›‹", strict=True))
_OPENERS = {"(": ")", "[": "]", "{": "}"}


def visual_order(text: str) -> str:
    """``text`` (one line, stored order) in the left-to-right order its characters are seen.

    Example:
        >>> visual_order("Cox: שלום עולם (2022).")  # Hebrew words in an English line
        'Cox: (2022) םלוע םולש.'
        >>> visual_order("שלום (abc 12).")
        'םולש (abc 12).'
    """
    import unicodedata

    types = [unicodedata.bidirectional(ch) for ch in text]
    if not _STRONG_RTL.intersection(types):
        return text  # nothing right-to-left: the common case costs one pass
    # W1: a combining mark takes the type of the character it sits on, and stays with it.
    clusters: list[str] = []
    kinds: list[str] = []
    for ch, t in zip(text, types, strict=True):
        if (t == "NSM" or unicodedata.combining(ch)) and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
            kinds.append(t)
    # W2, W3: a number after Arabic letters is an Arabic number; Arabic letters are right-to-left.
    last = "L"
    for i, k in enumerate(kinds):
        if k in ("L", "R", "AL"):
            last = k
            kinds[i] = "R" if k == "AL" else k
        elif k == "EN" and last == "AL":
            kinds[i] = "AN"
    # W4, W5: a separator between digits, a terminator (%, $) next to them, belong to the number.
    for i, k in enumerate(kinds):
        prev = kinds[i - 1] if i else None
        nxt = kinds[i + 1] if i + 1 < len(kinds) else None
        if k in ("ES", "CS") and prev in _NUMBER_TYPES and prev == nxt:
            kinds[i] = prev
        elif k == "ET" and "EN" in (prev, nxt):
            kinds[i] = "EN"
    # W7: a number after Latin letters (or at the start of the line) is left-to-right.
    last = "L"
    for i, k in enumerate(kinds):
        if k in ("L", "R"):
            last = k
        elif k == "EN" and last == "L":
            kinds[i] = "L"
    side: list[str | None] = ["R" if k in _NUMBER_TYPES else k if k in ("L", "R") else None
                              for k in kinds]
    # N0: a bracket pair takes the direction of what it holds, the line's (L) first.
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for i, c in enumerate(clusters):
        if c in _OPENERS and side[i] is None:
            stack.append((_OPENERS[c], i))
        elif stack and c == stack[-1][0] and side[i] is None:
            pairs.append((stack.pop()[1], i))
    for start, end in sorted(pairs):
        inside = set(side[start + 1:end])
        if "L" in inside:
            side[start] = side[end] = "L"
        elif "R" in inside:
            before = next((side[n] for n in range(start - 1, -1, -1) if side[n]), "L")
            side[start] = side[end] = before
    # N1, N2: a run of neutrals between two of one direction takes it, any other left-to-right.
    i = 0
    while i < len(side):
        if side[i] is not None:
            i += 1
            continue
        j = i
        while j < len(side) and side[j] is None:
            j += 1
        before, after = side[i - 1] if i else "L", side[j] if j < len(side) else "L"
        for n in range(i, j):
            side[n] = before if before == after else "L"
        i = j
    # I1: levels (numbers 2, right-to-left 1, the rest 0); L1: white space at the line's end is 0.
    levels = [2 if k in _NUMBER_TYPES else 1 if s == "R" else 0 for k, s in zip(kinds, side, strict=True)]
    for i in range(len(clusters) - 1, -1, -1):
        if not clusters[i].isspace():
            break
        levels[i] = 0
    # L2: reverse every run at or above each level, from the highest down to 1; L4: mirror.
    order = list(range(len(clusters)))
    for level in range(max(levels), 0, -1):
        i = 0
        while i < len(order):
            j = i
            while j < len(order) and levels[order[j]] >= level:
                j += 1
            if j > i:
                order[i:j] = order[i:j][::-1]
            i = max(j, i + 1)
    return "".join(_MIRROR.get(clusters[k][0], clusters[k][0]) + clusters[k][1:] if levels[k] % 2
                   else clusters[k] for k in order)


_PATH_TOKEN = re.compile(r"[A-Za-z]|" + _NUMBER.pattern)
_PATH_ARGS = {"M": 2, "L": 2, "C": 6}


def _path(p: Any, d: str) -> None:
    """Add SVG path data to a ReportLab path: Graphviz writes only absolute M, L, C and Z."""
    tokens = _PATH_TOKEN.findall(d)
    op, i = "M", 0
    while i < len(tokens):
        if tokens[i].isalpha():
            op = tokens[i]
            i += 1
            if op == "Z":
                p.close()
            elif op not in _PATH_ARGS:
                raise EngineError(f"cannot draw the map as PDF: path command {op!r} in the SVG "
                                  f"(Graphviz writes only M, L, C and Z)")
            continue
        args = [float(v) for v in tokens[i:i + _PATH_ARGS[op]]]
        i += len(args)
        if len(args) < _PATH_ARGS[op]:
            break  # a truncated path: draw what came before
        if op == "M":
            p.moveTo(*args)
            op = "L"  # further pairs after M are lines
        elif op == "L":
            p.lineTo(*args)
        else:
            p.curveTo(*args)
