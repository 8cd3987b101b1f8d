"""Errors and diagnostics: the one place argkit says what went wrong and how to fix it.

Every error argkit raises on purpose is defined here and exported from :mod:`argkit`. Each has the
one root :class:`ArgkitError` and also subclasses the builtin it refines, so ``except KeyError``
keeps working for an unknown claim and ``except ArgkitError`` catches everything argkit says.

Example:
    >>> import argkit
    >>> m = argkit.parse_map("title: Tea\\nnodes:\\n- {id: t, text: Tea is good.}\\n")
    >>> try:
    ...     m.node("zz")
    ... except KeyError as e:
    ...     print(type(e).__name__, "-", e)
    UnknownClaimError - no node 'zz' in map 'Tea'
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = [
    "ArgdownWriteError",
    "ArgkitError",
    "ChoiceError",
    "ConversionError",
    "Diagnostic",
    "EngineError",
    "EvaluationError",
    "FocusError",
    "InvalidMapError",
    "MapEditError",
    "MapSyntaxError",
    "ReferenceMapError",
    "SourceTextError",
    "UnknownClaimError",
    "UsageError",
    "WorkFileError",
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

    def __post_init__(self) -> None:
        # A file name that is not UTF-8 (os.fsdecode's surrogates) is shown with \xNN escapes,
        # so the message can be printed, written to CSV or shown in a notebook.
        if self.path is not None and not self.path.isascii():
            try:
                self.path.encode("utf-8")
            except UnicodeEncodeError:
                safe = self.path.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
                object.__setattr__(self, "path", safe)

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


# -- reading and writing files ----------------------------------------------------------------


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


class ArgdownWriteError(ArgkitError, ValueError):
    """A map that cannot be written as Argdown (the message says why and what to do)."""


class ConversionError(ArgkitError, ValueError):
    """A conversion argkit cannot do (the message names the extensions that work)."""


class SourceTextError(ArgkitError, FileNotFoundError):
    """The folder of source texts (or its ``index.yaml``) cannot be read."""


# -- working with a map in code ---------------------------------------------------------------
class UnknownClaimError(ArgkitError, KeyError):
    """A claim id that is not in the map (or not in the labelling).

    Attributes:
        claim_id: The id asked for.
    """

    def __init__(self, message: str, claim_id: str | None = None):
        self.claim_id = claim_id
        super().__init__(message)

    def __str__(self) -> str:  # KeyError would show the message in quotes
        return str(self.args[0]) if self.args else ""


class WorkFileError(ArgkitError, ValueError):
    """A student's file that cannot be opened, saved or handed in as asked (the message says what to do)."""


class MapEditError(ArgkitError, ValueError):
    """An edit that would break the map: an id already taken, or a parent that is not there."""


class ChoiceError(ArgkitError, ValueError):
    """A value that is not one of the valid choices (the message lists them).

    Attributes:
        got: The value received.
        choices: The valid choices.
    """

    def __init__(self, message: str, got: object = None, choices: tuple[str, ...] = ()):
        self.got = got
        self.choices = tuple(choices)
        super().__init__(message)


class EvaluationError(ArgkitError, ValueError):
    """What-if assumptions that contradict each other (a claim both accepted and rejected)."""


class FocusError(ArgkitError, ValueError):
    """A ``focus``, ``depth`` or ``collapse`` option that does not fit the map."""


# -- tools ------------------------------------------------------------------------------------
class EngineError(ArgkitError, RuntimeError):
    """The Graphviz layout engine could not run; the message says which and how to fix it."""


class UsageError(ArgkitError):
    """A command line that argkit's CLI cannot run (exit code 2); the message says how to fix it."""
