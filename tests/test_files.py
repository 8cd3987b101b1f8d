"""load/save/validate: one facade for YAML and Argdown files, chosen by the suffix."""

from __future__ import annotations

from pathlib import Path

import pytest

import argkit
from argkit import files
from argkit.model import ArgumentMap, Node

TEA = ArgumentMap("Tea", (Node("t", "Tea is good."), Node("o", "It stains.", parent="t", stance="con")))


@pytest.mark.parametrize("name", ["tea.yaml", "tea.yml", "tea.argdown", "tea.AD"])
def test_save_and_load_by_suffix(tmp_path: Path, name: str) -> None:
    path = argkit.save(TEA, tmp_path / name)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("===") == files.is_argdown(path)
    assert argkit.load(path) == TEA
    assert argkit.validate(path) == []


def test_validate_an_argdown_file_lists_its_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.argdown"
    bad.write_text("[t]: Tea. {basis: rumour}\n", encoding="utf-8")
    (d,) = argkit.validate(bad)
    assert d.path == str(bad) and "unknown basis 'rumour'" in d.message
    broken = tmp_path / "broken.argdown"
    broken.write_text("  + [x]: nothing above\n", encoding="utf-8")
    (d,) = argkit.validate(broken)
    assert d.line == 1 and "has no statement or argument above it" in d.message
    assert argkit.validate(tmp_path / "missing.argdown")[0].path is not None


def test_saving_over_a_reference_argdown_map_needs_force(tmp_path: Path) -> None:
    course = tmp_path / "course.argdown"
    argkit.save(argkit.ArgumentMap("Course", (Node("c", "Course."),), reference=True), course)
    assert argkit.load(course).reference is True
    before = course.read_text(encoding="utf-8")
    with pytest.raises(argkit.ReferenceMapError, match="reference material"):
        argkit.save(TEA, course)
    assert course.read_text(encoding="utf-8") == before
    argkit.save(TEA, course, force=True)
    assert argkit.load(course) == TEA


def test_the_cli_reads_argdown_through_the_facade(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from argkit.cli import main

    f = argkit.save(TEA, tmp_path / "tea.argdown")
    assert main(["evaluate", str(f)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith("OUT    t  Tea is good.")
