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
from typing import Any

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
from argkit.mapfile import generate_map, parse_map, read_map, write_map
from argkit.model import ArgumentMap, Node, Quote, Relation, Source
from argkit.overlay import load, save
from argkit.validate import validate

__version__ = "0.1.0"

# Later stages load on first use, so `import argkit` stays light (no pandas, ipywidgets, IPython).
_LAZY = {
    "to_dot": "argkit.render",
    "to_svg": "argkit.render",
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
    "generate_map",
    "load",
    "parse_map",
    "read_map",
    "save",
    "validate",
    "write_map",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'argkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(__all__)
