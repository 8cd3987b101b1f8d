"""The ``argkit`` command line: a thin layer over the library's stages.

Exit codes: 0 success, 1 invalid input (bad map, quote not found), 2 usage error.
No traceback reaches the terminal for bad input: every error says file, line and what to do.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import argkit
from argkit.engine import ENGINES
from argkit.errors import ArgkitError, InvalidMapError, MapSyntaxError, UsageError

__all__ = ["main"]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would sys.exit; we return 2 from main
        raise UsageError(f"{self.prog}: {message}\n(run '{self.prog} --help' for usage)")


# What a file may smuggle to the teacher's terminal: control characters (ESC starts sequences
# that clear the screen, retitle the window or erase lines to fake "ok"; CR overwrites a line),
# bidirectional controls and marks (they reorder what is shown), line/paragraph separators and
# lone surrogates. Each is printed as a visible escape such as \x1b or \u202e.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e"
                     "\u2066-\u2069\ud800-\udfff]")


def _escape(m: re.Match[str]) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def inert(text: str) -> str:
    r"""``text`` made safe to print to a terminal: control and bidi characters as visible escapes.

    Example:
        >>> inert("ok\x1b[2J\u202eevil\tdone")
        'ok\\x1b[2J\\u202eevil\tdone'
    """
    return _UNSAFE.sub(_escape, text)


def _write(stream: Any, text: str) -> None:
    text = inert(text)
    try:
        stream.write(text)
    except UnicodeEncodeError:  # a terminal that is not UTF-8
        enc = getattr(stream, "encoding", None) or "ascii"
        stream.write(text.encode(enc, "backslashreplace").decode(enc))


def _out(text: str) -> None:
    _write(sys.stdout, text if text.endswith("\n") or not text else text + "\n")


def _err(text: str) -> None:
    _write(sys.stderr, text if text.endswith("\n") else text + "\n")


def _load(path: str) -> argkit.ArgumentMap:
    return argkit.load(path)


# -- commands ----------------------------------------------------------------------------------
def _validate(a: argparse.Namespace) -> int:
    bad = 0
    for f in a.files:
        problems = argkit.validate(f)
        for d in problems:
            _out(str(d))
        if problems:
            bad += 1
        elif not a.quiet:
            _err(f"{f}: ok")
    return 1 if bad else 0


def _render(a: argparse.Namespace) -> int:
    from argkit import render

    m = _load(a.file)
    options = {"focus": a.focus, "depth": a.depth, "collapse": a.collapse, "rankdir": a.rankdir}
    out = Path(a.output)
    if out.suffix not in (".dot", ".svg", ".png", ".pdf"):
        raise UsageError(f"argkit render: cannot write '{out.suffix or out.name}' "
                          "(use an output file ending in .svg, .png, .pdf or .dot)")
    if a.size is not None and out.suffix not in (".png", ".pdf"):
        raise UsageError("argkit render: --size is for .png and .pdf pictures only")
    paper = isinstance(a.size, str) and a.size.lower().partition("-")[0] in _PAPERS
    if out.suffix == ".png" and paper:
        raise UsageError(f"argkit render: --size {a.size} is a paper, for .pdf "
                         f"(a .png takes {', '.join(render.SIZES)} or WIDTHxHEIGHT)")
    if out.suffix == ".pdf" and a.size is not None and not paper:
        raise UsageError(f"argkit render: --size {a.size if isinstance(a.size, str) else 'WxH'} is a "
                         f"screen, for .png (a .pdf takes a paper: {', '.join(_PAPERS)}, "
                         "e.g. a4 or a4-landscape)")
    if not a.scale > 0:
        raise UsageError(f"argkit render: --scale must be more than 0 (got {a.scale})")
    if out.suffix == ".dot":
        _write_output(out, render.to_dot(m, **options))
    elif out.suffix == ".svg":
        _write_output(out, render.to_svg(m, engine=a.engine, **options))
    elif out.suffix == ".pdf":
        from argkit.pdf import smallest_text

        _write_output(out, render.to_pdf(m, engine=a.engine, paper=a.size, **options))
        small = smallest_text(render.to_svg(m, engine=a.engine, **options), a.size) if a.size else 99.0
        if small < _READABLE_PT:
            _err(f"note: on {a.size} the smallest text is {small} pt, hard to read on paper; draw "
                 "less (--collapse 1, --focus ID) or use a bigger paper")
    else:
        if a.size is None:  # say why it takes a while before it does, and what a slide needs
            width, height = render.Drawing(m, render.to_svg(m, engine=a.engine, **options), {}).size
            width, height = round(width * a.scale), round(height * a.scale)
            if width * height > _LARGE_PNG:
                _err(f"note: this picture is {width:,} x {height:,} pixels and takes a while to "
                     "draw; for a slide use --size 1080p, for a handout .pdf, or draw one branch "
                     "with --focus ID")
        _write_output(out, render.to_png(m, engine=a.engine, scale=a.scale, fit=a.size, **options))
    return 0


_PAPERS = ("a4", "a3", "letter")  # argkit.pdf.PAPERS, without importing ReportLab to parse options
_READABLE_PT = 6.0
_LARGE_PNG = 25_000_000  # pixels: about 3 s of drawing; a 4k screen is 8.3 million


def _size(text: str) -> str | tuple[int, int]:
    from argkit.render import SIZES

    name, _, turn = text.lower().partition("-")
    if text in SIZES or (name in _PAPERS and turn in ("", "landscape", "portrait")):
        return text.lower()
    w, x, h = text.partition("x")
    if x and w.isdigit() and h.isdigit() and int(w) > 0 and int(h) > 0:
        return int(w), int(h)
    raise argparse.ArgumentTypeError(
        f"{text!r} is not a size (use {', '.join(SIZES)} or WIDTHxHEIGHT, e.g. 1920x1080, for a .png; "
        f"{', '.join(_PAPERS)}, e.g. a4 or a4-landscape, for a .pdf)")


def _outline(a: argparse.Namespace) -> int:
    from argkit import render

    _out(render.to_outline(_load(a.file)))
    return 0


def _check_quotes(a: argparse.Namespace) -> int:
    from argkit import quotes

    results = quotes.check_quotes([_load(f) for f in a.files], a.sources)
    failed = [r for r in results if not r.ok]
    for r in failed:
        _out(str(r))
    _err(f"{len(results) - len(failed)} of {len(results)} quotes found, with their endnotes, "
         f"in {a.sources}")
    return 1 if failed else 0


def _evaluate(a: argparse.Namespace) -> int:
    from argkit import semantics

    both = sorted(set(a.reject) & set(a.accept))
    if both:
        raise UsageError(f"argkit evaluate: {', '.join(map(repr, both))} is both rejected and accepted "
                         "(give each claim to --reject or to --accept, not both)")
    m = _load(a.file)
    for node_id in [*a.reject, *a.accept]:
        if node_id not in m:
            raise UsageError(f"argkit evaluate: no node '{node_id}' in {a.file} "
                              "(run 'argkit outline FILE' to see the ids)")
    _out(semantics.evaluate(m, reject=a.reject, accept=a.accept).to_text())
    return 0


def _table(a: argparse.Namespace) -> int:
    from argkit import tables

    frame = tables.to_frame(_load(a.file))
    _write_frame(frame, a.output)
    return 0


def _collect(a: argparse.Namespace) -> int:
    from argkit import tables

    work = tables.collect(a.folder)
    for d in work.notes:
        _err(f"note: {d}")
    for d in work.problems:
        _err(f"skipped: {d}")
    for d in work.notes:
        _err(f"note: {d}")
    _write_frame(work.frame, a.output)
    _err(f"{len(work.frame)} student claims from {work.files} file(s); {len(work.problems)} skipped")
    return 0


def _write_output(path: Path, text: str | bytes) -> None:
    """Write an output file atomically (a crash leaves the old file whole), never over a reference map."""
    from argkit._io import atomic_write, write_text
    from argkit.overlay import check_target

    check_target(path)
    if isinstance(text, bytes):
        atomic_write(path, text)
    else:
        write_text(path, text)


def _write_frame(frame: Any, output: str | None) -> None:
    if output is None:
        _out(frame.to_string())
    elif output.endswith(".csv"):
        _write_output(Path(output), frame.to_csv(index=False))
    else:
        raise UsageError("argkit: the table output must end in .csv (or leave out -o to print it)")


def _convert(a: argparse.Namespace) -> int:
    from argkit import convert

    convert.convert(a.input, a.output, force=a.force)
    return 0


# -- wiring ------------------------------------------------------------------------------------
def _parser() -> _Parser:
    p = _Parser(prog="argkit", description="Argument maps for teaching: validate, render, evaluate.")
    p.add_argument("--version", action="version", version=f"argkit {argkit.__version__}")
    sub = p.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    s = sub.add_parser("validate", help="check map files and list every problem")
    s.add_argument("files", nargs="+", metavar="FILE")
    s.add_argument("-q", "--quiet", action="store_true", help="print nothing for valid files")
    s.set_defaults(run=_validate)

    s = sub.add_parser("render", help="draw a map as SVG, PNG or PDF, or write its DOT")
    s.add_argument("file", metavar="FILE")
    s.add_argument("-o", "--output", required=True, metavar="OUT.svg|OUT.png|OUT.pdf|OUT.dot")
    s.add_argument("--focus", metavar="ID", help="draw only this claim and what is under it")
    s.add_argument("--depth", type=int, metavar="N", help="levels to draw below the focus")
    s.add_argument("--collapse", type=int, metavar="N", help="fold claims deeper than N into a count")
    s.add_argument("--engine", choices=ENGINES, default=None,
                   help="layout engine: embedded (default) or the system 'dot'")
    s.add_argument("--rankdir", choices=("TB", "LR"), default=None,
                   help="TB: top-down tree, LR: left to right (default: whichever fits a screen)")
    s.add_argument("--scale", type=float, default=2.0, metavar="X",
                   help="PNG pixels per screen pixel (default 2: sharp on paper)")
    s.add_argument("--size", type=_size, default=None, metavar="720p|1080p|4k|WxH|a4|a4-landscape|...",
                   help="PNG: the largest picture that fits this screen, e.g. 1080p for a projector; "
                   "PDF: the paper to fit the map on (a4, a3, letter; add -landscape or -portrait "
                   "to choose; default: a page the size of the map)")
    s.set_defaults(run=_render)

    s = sub.add_parser("outline", help="print a numbered text outline of a map")
    s.add_argument("file", metavar="FILE")
    s.set_defaults(run=_outline)

    s = sub.add_parser("check-quotes", help="check every quote against the source texts")
    s.add_argument("files", nargs="+", metavar="MAP")
    s.add_argument("--sources", required=True, metavar="DIR",
                   help="folder with the source texts (and an index.yaml mapping ids to files)")
    s.set_defaults(run=_check_quotes)

    s = sub.add_parser("evaluate", help="label each claim IN, OUT or UNDEC (grounded semantics)")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--reject", nargs="*", default=[], metavar="ID", help="claims you do not accept")
    s.add_argument("--accept", nargs="*", default=[], metavar="ID", help="claims you take as given")
    s.set_defaults(run=_evaluate)

    s = sub.add_parser("table", help="one row per claim, as CSV")
    s.add_argument("file", metavar="FILE")
    s.add_argument("-o", "--output", metavar="OUT.csv")
    s.set_defaults(run=_table)

    s = sub.add_parser("collect", help="gather a class's overlay files into one table")
    s.add_argument("folder", metavar="DIR")
    s.add_argument("-o", "--output", metavar="OUT.csv")
    s.set_defaults(run=_collect)

    s = sub.add_parser("convert", help="convert between .yaml, .argdown, .aif.json, .svg and .dot")
    s.add_argument("input", metavar="IN")
    s.add_argument("output", metavar="OUT")
    s.add_argument("--force", action="store_true", help="overwrite a reference map")
    s.set_defaults(run=_convert)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code instead of exiting (``sys.exit(main())``)."""
    parser = _parser()
    try:
        a = parser.parse_args(argv)
        if getattr(a, "run", None) is None:
            _err(parser.format_usage().strip() + "\nargkit: choose a command (run 'argkit --help')")
            return 2
        return int(a.run(a))
    except UsageError as e:
        _err(str(e))
        return 2
    except SystemExit as e:  # --help and --version exit 0 through argparse
        return int(e.code or 0)
    except MapSyntaxError as e:
        _err(str(e))
        return 1
    except InvalidMapError as e:
        for d in e.diagnostics:
            _err(str(d))
        return 1
    except ArgkitError as e:
        _err(f"argkit: {e}")
        return 1
    except OSError as e:
        _err(f"argkit: {e.filename or ''}: {e.strerror or e}".replace(": :", ":"))
        return 1
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # a bug, not bad input: still no traceback unless asked for
        if os.environ.get("ARGKIT_DEBUG"):
            raise
        _err(f"argkit: internal error: {type(e).__name__}: {e}\n"
             "This is a bug in argkit, not in your map; please report it "
             "(run again with ARGKIT_DEBUG=1 to see the traceback).")
        return 1
