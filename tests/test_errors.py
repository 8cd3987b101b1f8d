"""The error hierarchy: one root, every error defined in errors.py and exported, builtins refined."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

import pytest

import argkit
from argkit import errors
from argkit.model import ArgumentMap, Node

SRC = Path(argkit.__file__).parent


def _error_classes() -> list[type[BaseException]]:
    return [c for _, c in inspect.getmembers(errors, inspect.isclass)
            if issubclass(c, BaseException) and c.__module__ == errors.__name__]


def test_every_error_is_exported_from_argkit():
    for cls in _error_classes():
        assert cls.__name__ in errors.__all__
        assert getattr(argkit, cls.__name__) is cls
        assert cls.__name__ in argkit.__all__


def test_every_error_has_the_root_and_refines_a_builtin():
    for cls in _error_classes():
        assert issubclass(cls, argkit.ArgkitError)
        if cls in (argkit.ArgkitError, argkit.UsageError):  # the root; a CLI usage error refines none
            continue
        builtin = [b for b in cls.__mro__[1:] if b.__module__ == "builtins" and b is not Exception
                   and b not in (BaseException, object)]
        assert builtin, f"{cls.__name__} refines no builtin"


def test_no_public_error_class_is_defined_outside_errors_py():
    for path in SRC.rglob("*.py"):
        if path.name == "errors.py" or path.name.startswith("_"):
            continue  # a private module's signals (e.g. _io's) are caught inside argkit, never shown
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
                bases = {getattr(b, "id", getattr(b, "attr", "")) for b in node.bases}
                assert not any(b.endswith(("Error", "Exception")) for b in bases), \
                    f"{path.name}: class {node.name} should live in errors.py"


def test_modules_keep_their_old_names_for_their_errors():
    from argkit import argdown, convert, quotes, render

    assert render.FocusError is argkit.FocusError
    assert quotes.SourceTextError is argkit.SourceTextError
    assert convert.ConversionError is argkit.ConversionError
    assert argdown.ArgdownWriteError is argkit.ArgdownWriteError


def _tea() -> ArgumentMap:
    return ArgumentMap("Tea", (Node("t", "Tea is good."), Node("r", "Tasty.", parent="t", stance="pro")))


def test_unknown_claim_is_a_key_error_with_a_plain_message():
    with pytest.raises(argkit.UnknownClaimError) as e:
        _tea().node("zz")
    assert isinstance(e.value, KeyError)
    assert str(e.value) == "no node 'zz' in map 'Tea'"  # not "'no node ...'" as a bare KeyError shows
    assert e.value.claim_id == "zz"


def test_map_edits_that_break_the_map_are_map_edit_errors():
    m = _tea()
    with pytest.raises(argkit.MapEditError, match="already exists") as e:
        m.add(Node("t", "again"))
    assert isinstance(e.value, ValueError)
    with pytest.raises(argkit.MapEditError, match="no node 'zz' to attach 'x'"):
        m.add(Node("x", "orphan", parent="zz", stance="pro"))


def test_evaluate_and_labelling_raise_argkit_errors():
    m = _tea()
    with pytest.raises(argkit.UnknownClaimError, match="no node 'zz'"):
        argkit.evaluate(m, reject=["zz"])
    with pytest.raises(argkit.EvaluationError, match="both accept and reject 'r'") as e:
        argkit.evaluate(m, reject=["r"], accept=["r"])
    assert isinstance(e.value, ValueError)
    lab = argkit.evaluate(m)
    with pytest.raises(argkit.UnknownClaimError, match="no claim 'zz' in this labelling"):
        lab.label("zz")
    with pytest.raises(argkit.ChoiceError) as c:
        lab.ids("in")
    assert c.value.got == "in" and c.value.choices == ("IN", "OUT", "UNDEC")
    assert isinstance(c.value, ValueError)


def test_summary_by_an_unknown_column_is_a_choice_error():
    pytest.importorskip("pandas")
    with pytest.raises(argkit.ChoiceError, match=r"cannot summarise by 'year'") as e:
        argkit.summary(_tea(), by="year")
    assert "author" in e.value.choices


def test_every_lazy_name_is_exported_and_declared_for_type_checkers():
    import ast

    init = SRC / "__init__.py"
    tree = ast.parse(init.read_text(encoding="utf-8"))
    declared: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                declared |= {a.asname or a.name for a in imp.names}  # type: ignore[attr-defined]
    lazy = set(argkit._LAZY) | {"exercises"}
    assert lazy == declared
    assert lazy <= set(argkit.__all__)
    for name in argkit.__all__:
        assert getattr(argkit, name) is not None
