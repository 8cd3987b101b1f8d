"""PNG pictures of maps: Graphviz's SVG rasterised in-process by resvg, with fonts shipped in argkit.

JupyterLab shows no SVG from an untrusted notebook (every fresh clone, upload or download), but it
does show PNG, so a map's display carries both. The PNG must not depend on the machine: resvg
(``resvg-py`` from PyPI, pinned) never looks at system fonts here and only gets the two font files
in ``argkit/fonts`` (Liberation Sans, metric-compatible with the Helvetica widths Graphviz assumes,
and a DejaVu Sans cut-down for symbols such as ✔ ✘ ✎), so the same SVG gives the same bytes
everywhere.

Example:
    >>> from argkit.engine import render_dot
    >>> png = svg_to_png(render_dot('digraph { a -> b }'))
    >>> png[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    >>> png_size(png)
    (83, 155)
"""

from __future__ import annotations

import struct
from importlib import resources

from argkit.errors import EngineError

__all__ = ["FONT_FAMILY", "available", "font_files", "png_size", "svg_to_png"]

FONT_FAMILY = "Liberation Sans"
_FONTS = ("LiberationSans-Regular.ttf", "DejaVuSans-Symbols.ttf")


def available() -> bool:
    """Whether PNG pictures can be made here (not in the browser edition, which has no resvg)."""
    import importlib.util

    return importlib.util.find_spec("resvg_py") is not None


def font_files() -> list[str]:
    """Paths of the font files every PNG is drawn with (shipped inside the package)."""
    base = resources.files("argkit") / "fonts"
    return [str(base / name) for name in _FONTS]


def svg_to_png(svg: str, *, scale: float = 1.0, colours: int | None = None) -> bytes:
    """Rasterise SVG text (as Graphviz writes it) to PNG bytes.

    Args:
        svg: The SVG document. Sizes in ``pt`` are read at 96 dpi, as a browser does, so
            ``scale=1`` gives one PNG pixel per CSS pixel of the SVG.
        scale: Zoom factor: 2 for a sharp picture on a high-density screen or a handout.
        colours: Reduce the picture to this many colours (a palette PNG about a third of the
            size, for the pictures stored in notebooks); ``None`` keeps full colour.

    Returns:
        PNG bytes, identical for the same SVG and scale on every machine.

    Raises:
        EngineError: ``resvg-py`` is missing or cannot draw the SVG.
    """
    if not scale > 0:
        raise ValueError(f"scale must be more than 0 (got {scale!r})")
    try:
        import resvg_py
    except ImportError as e:  # pragma: no cover - a hard dependency
        raise EngineError(
            "cannot make a PNG: the 'resvg-py' package is missing; reinstall argkit "
            "(pip install 'resvg-py==0.5.0')"
        ) from e
    try:
        png = bytes(resvg_py.svg_to_bytes(
            svg_string=svg, dpi=96.0, zoom=float(scale), skip_system_fonts=True,
            font_files=font_files(), font_family=FONT_FAMILY, sans_serif_family=FONT_FAMILY,
            serif_family=FONT_FAMILY, monospace_family=FONT_FAMILY,
        ))
    except (ValueError, RuntimeError) as e:
        raise EngineError(f"cannot rasterise the map to PNG: {e}") from e
    return png if colours is None else _palette(png, colours)


def _palette(png: bytes, colours: int) -> bytes:
    """The PNG with at most ``colours`` colours (Pillow, pinned: the same bytes everywhere).

    A map has a dozen flat colours plus the grey steps of smoothed text and lines, so 64 colours
    look the same and take a third of the bytes.
    """
    import io

    from PIL import Image  # only the notebook display needs it

    with Image.open(io.BytesIO(png)) as im:
        small = im.convert("RGB").quantize(colours, method=Image.Quantize.FASTOCTREE,
                                           dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, "PNG")
    return out.getvalue()


def png_size(png: bytes) -> tuple[int, int]:
    """``(width, height)`` in pixels, read from a PNG's header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or png[12:16] != b"IHDR":
        raise ValueError("not a PNG")
    width, height = struct.unpack(">II", png[16:24])
    return width, height
