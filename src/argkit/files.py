"""load, save and validate: the one way in and out of map files, whatever their format.

The suffix chooses the format: ``.argdown``/``.ad`` is Argdown (:mod:`argkit.argdown`), anything
else is argkit's YAML (:mod:`argkit.mapfile`, with a student's overlay merged by :mod:`argkit.overlay`). The CLI, :mod:`argkit.convert` and the editor read
and write maps only through these three functions.

Example:
    >>> import tempfile, pathlib
    >>> from argkit.model import ArgumentMap, Node
    >>> m = ArgumentMap("Tea", (Node("t", "Tea is good."), Node("r", "Tasty.", parent="t", stance="pro")))
    >>> with tempfile.TemporaryDirectory() as d:
    ...     a = save(m, pathlib.Path(d, "tea.argdown"))
    ...     b = save(load(a), pathlib.Path(d, "tea.yaml"))
    ...     load(b) == m, validate(b)
    (True, [])
"""

from __future__ import annotations

import os
from pathlib import Path

from argkit import _io, mapfile, overlay
from argkit.errors import Diagnostic, InvalidMapError, MapSyntaxError
from argkit.model import ArgumentMap
from argkit.validate import check_map

__all__ = ["ARGDOWN_SUFFIXES", "is_argdown", "load", "save", "validate"]

ARGDOWN_SUFFIXES = (".argdown", ".ad")


def is_argdown(path: str | os.PathLike[str]) -> bool:
    """True if the file name says Argdown (``.argdown`` or ``.ad``, any case)."""
    return Path(path).suffix.lower() in ARGDOWN_SUFFIXES


def load(path: str | os.PathLike[str]) -> ArgumentMap:
    """Read a map file, YAML or Argdown; a YAML overlay (``extends:``) comes back merged with its base.

    Raises:
        MapSyntaxError: The file cannot be read (bytes, size, syntax); the message gives the line.
        InvalidMapError: The map breaks the rules; ``.diagnostics`` lists every problem.
    """
    if not is_argdown(path):
        return overlay.load(path)
    from argkit.argdown import read_argdown  # loaded when met: `import argkit` stays light

    return read_argdown(path)


def save(m: ArgumentMap, path: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write a map atomically as YAML or Argdown (by the suffix); returns the path written.

    A file marked ``reference: true`` (in YAML, or in an Argdown front matter, however the flag
    is spelt) is never overwritten unless ``force=True``.

    Raises:
        ReferenceMapError: The target is reference material (or the map this one extends).
    """
    target = Path(path)
    if not is_argdown(target):
        return overlay.save(m, target, force=force)
    overlay.check_target(target, base=m.base, force=force)
    from argkit.argdown import write_argdown

    write_argdown(m, target)
    return target


def validate(map_or_path: ArgumentMap | str | os.PathLike[str]) -> list[Diagnostic]:
    """All problems of a map or map file (YAML or Argdown), each with file, line, column and a fix.

    Never raises for a bad file: an unreadable file gives a one-item list.
    """
    return sorted(_problems(map_or_path), key=lambda d: (d.path or "", d.line or 1 << 30))


def _problems(map_or_path: ArgumentMap | str | os.PathLike[str]) -> list[Diagnostic]:
    if isinstance(map_or_path, ArgumentMap):
        return check_map(map_or_path)
    path = Path(map_or_path)
    if is_argdown(path):
        try:
            from argkit.argdown import read_argdown

            read_argdown(path)
        except MapSyntaxError as e:
            return [e.diagnostic]
        except InvalidMapError as e:
            return list(e.diagnostics)
        return []
    try:
        m, problems = mapfile.parse_structure(_io.read_text(path), str(path))
    except MapSyntaxError as e:
        return [e.diagnostic]
    problems = list(problems) + mapfile.semantic_problems(m, problems)
    if m.extends is None or problems:
        return problems
    try:
        overlay.load(path)
    except MapSyntaxError as e:
        return [e.diagnostic]
    except InvalidMapError as e:
        return list(e.diagnostics)
    return []
