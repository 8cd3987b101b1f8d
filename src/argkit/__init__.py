"""argkit: argument maps for teaching, from plain-text files to Graphviz trees in JupyterLab.

Example:
    >>> import argkit
    >>> m = argkit.parse_map('''
    ... title: Tea
    ... nodes:
    ... - id: t
    ...   text: Tea is good.
    ... - id: r
    ...   parent: t
    ...   stance: pro
    ...   text: It is tasty.
    ... ''')
    >>> m.kind("r")
    'reason'
    >>> argkit.validate(m)
    []
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

from argkit import model as _model
from argkit.errors import (
    ArgdownWriteError,
    ArgkitError,
    ChoiceError,
    ConversionError,
    Diagnostic,
    EngineError,
    EvaluationError,
    FocusError,
    InvalidMapError,
    MapEditError,
    MapSyntaxError,
    ReferenceMapError,
    SourceTextError,
    UnknownClaimError,
    UsageError,
    WorkFileError,
)
from argkit.files import load, save, validate
from argkit.mapfile import generate_map, parse_map, read_map, write_map
from argkit.model import ArgumentMap, Node, Quote, Relation, Source

__version__ = "0.1.0"  # the one place the version is written (pyproject.toml reads it from here)

if TYPE_CHECKING:  # the names below load on first use; this block lets type checkers and IDEs see them
    from argkit import exercises
    from argkit.aif import to_aif
    from argkit.argdown import generate_argdown, parse_argdown, read_argdown, write_argdown
    from argkit.classmap import class_map
    from argkit.editor import edit, what_if
    from argkit.mapview import view
    from argkit.quotes import check_quotes, format_quotes
    from argkit.render import draw, render_dot, to_dot, to_outline, to_pdf, to_png, to_svg
    from argkit.semantics import Labelling, evaluate
    from argkit.tables import collect, summary, to_frame

def _show(m: ArgumentMap, include: Any, exclude: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    # SVG for a trusted notebook, PNG for an untrusted one (a fresh clone shows no SVG).
    from argkit.render import draw  # rendering is a later stage; load it only when a map is shown

    data, meta = draw(m)._repr_mimebundle_(include, exclude)
    return dict(data), dict(meta)


_model.set_display(_show)

# Later stages load on first use, so `import argkit` stays light (no pandas, ipywidgets, IPython).
_LAZY = {
    "to_dot": "argkit.render",
    "to_svg": "argkit.render",
    "to_png": "argkit.render",
    "to_pdf": "argkit.render",
    "draw": "argkit.render",
    "to_outline": "argkit.render",
    "render_dot": "argkit.render",
    "evaluate": "argkit.semantics",
    "Labelling": "argkit.semantics",
    "to_frame": "argkit.tables",
    "summary": "argkit.tables",
    "collect": "argkit.tables",
    "edit": "argkit.editor",
    "what_if": "argkit.editor",
    "class_map": "argkit.classmap",
    "view": "argkit.mapview",
    "parse_argdown": "argkit.argdown",
    "read_argdown": "argkit.argdown",
    "generate_argdown": "argkit.argdown",
    "write_argdown": "argkit.argdown",
    "to_aif": "argkit.aif",
    "check_quotes": "argkit.quotes",
    "format_quotes": "argkit.quotes",
}

__all__ = [
    "ArgdownWriteError",
    "ArgkitError",
    "ArgumentMap",
    "ChoiceError",
    "ConversionError",
    "Diagnostic",
    "EngineError",
    "EvaluationError",
    "FocusError",
    "InvalidMapError",
    "Labelling",
    "MapEditError",
    "MapSyntaxError",
    "Node",
    "Quote",
    "ReferenceMapError",
    "Relation",
    "Source",
    "SourceTextError",
    "UnknownClaimError",
    "UsageError",
    "WorkFileError",
    "check_quotes",
    "class_map",
    "collect",
    "draw",
    "edit",
    "evaluate",
    "exercises",
    "format_quotes",
    "generate_argdown",
    "generate_map",
    "load",
    "parse_argdown",
    "parse_map",
    "read_argdown",
    "read_map",
    "render_dot",
    "save",
    "summary",
    "to_aif",
    "to_dot",
    "to_frame",
    "to_outline",
    "to_pdf",
    "to_png",
    "to_svg",
    "validate",
    "view",
    "what_if",
    "write_argdown",
    "write_map",
]


def __getattr__(name: str) -> Any:
    if name == "exercises":  # the one namespace of exercise checks: argkit.exercises.check_kind(...)
        return import_module("argkit.exercises")
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'argkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
