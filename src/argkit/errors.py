"""Errors and diagnostics: the one place argkit says what went wrong and how to fix it."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ArgkitError",
    "Diagnostic",
    "EngineError",
    "InvalidMapError",
    "MapSyntaxError",
    "ReferenceMapError",
]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem found in a map, with its place and a way to fix it.

    Attributes:
        path: The file the problem is in (``None`` for a map built in code).
        line: 1-based line, or ``None`` when unknown.
        column: 1-based column, or ``None`` when unknown.
        message: What is wrong, in words a student understands.
        got: The value received, if any.
        choices: The valid choices, if there is a closed set.
        fix: How to fix it.
        code: A short stable identifier of the kind of problem (e.g. ``unknown-field``).
    """

    path: str | None
    line: int | None
    column: int | None
    message: str
    got: str | None = None
    choices: tuple[str, ...] = ()
    fix: str | None = None
    code: str = "invalid"

    def __str__(self) -> str:
        place = ":".join(
            str(p) for p in (self.path or "<map>", self.line, self.column) if p is not None
        )
        text = f"{place}: {self.message}"
        if self.got is not None:
            text += f" (got {self.got!r})"
        if self.choices:
            text += " (must be one of " + ", ".join(repr(c) for c in self.choices) + ")"
        if self.fix:
            text += f"; {self.fix}"
        return text


class ArgkitError(Exception):
    """Root of every error argkit raises on purpose."""


class MapSyntaxError(ArgkitError, ValueError):
    """A map file that cannot be read at all (bad YAML, bad bytes, too large)."""

    def __init__(self, diagnostic: Diagnostic):
        self.diagnostic = diagnostic
        self.path = diagnostic.path
        self.line = diagnostic.line
        self.column = diagnostic.column
        super().__init__(str(diagnostic))


class InvalidMapError(ArgkitError, ValueError):
    """A map that reads as YAML but breaks the rules; carries every problem found."""

    def __init__(self, diagnostics: list[Diagnostic] | tuple[Diagnostic, ...]):
        self.diagnostics = tuple(diagnostics)
        lines = [str(d) for d in self.diagnostics]
        head = f"{len(lines)} problem(s) in the map:" if len(lines) != 1 else ""
        super().__init__("\n".join([head, *lines]).strip())


class ReferenceMapError(ArgkitError, PermissionError):
    """Refusing to overwrite a map marked as reference material."""


class EngineError(ArgkitError, RuntimeError):
    """The Graphviz layout engine could not run; the message says which and how to fix it."""
