"""The command line: exit codes, file:line:col messages, and never a traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import argkit
from argkit.cli import main

INVALID = Path(__file__).parent / "data" / "invalid"
GOOD = "title: Tea\nnodes:\n- id: t\n  text: Tea is good.\n- id: r\n  parent: t\n  stance: pro\n  text: Tasty.\n"


@pytest.fixture
def good(tmp_path: Path) -> Path:
    f = tmp_path / "tea.yaml"
    f.write_text(GOOD, encoding="utf-8")
    return f


def test_validate_a_good_file_exits_0(good, capsys):
    assert main(["validate", str(good)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"{good}: ok\n"


def test_validate_prints_file_line_col_and_exits_1(capsys):
    f = INVALID / "unknown-stance.yaml"
    assert main(["validate", str(f)]) == 1
    out, _ = capsys.readouterr()
    assert out == (f"{f}:7:3: unknown stance 'agianst' for node 'r' (got 'agianst') "
                   "(must be one of 'pro', 'con'); use pro (for) or con (against)\n")


def test_validate_reports_every_file_and_fails_if_any_is_bad(good, capsys):
    assert main(["validate", "-q", str(good), str(INVALID / "empty.yaml")]) == 1
    out, err = capsys.readouterr()
    assert out.count("\n") == 1 and "the file is empty" in out and err == ""


@pytest.mark.parametrize("argv", [[], ["validate"], ["frobnicate", "x"], ["render", "x.yaml"],
                                  ["evaluate", "x.yaml", "--depth", "2"]])
def test_usage_errors_exit_2(argv, capsys):
    assert main(argv) == 2
    assert "argkit" in capsys.readouterr().err


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"argkit {argkit.__version__}"


def test_a_missing_file_is_a_message_not_a_traceback(tmp_path, capsys):
    assert main(["outline", str(tmp_path / "nope.yaml")]) == 1
    err = capsys.readouterr().err
    assert "nope.yaml: no such file" in err and "Traceback" not in err


def test_no_traceback_for_any_malformed_file():
    files = sorted(INVALID.glob("*.yaml"))
    r = subprocess.run([sys.executable, "-m", "argkit", "validate", *map(str, files)],
                       capture_output=True, text=True)
    assert r.returncode == 1 and "Traceback" not in r.stdout + r.stderr
    assert {line.split(":")[0] for line in r.stdout.splitlines()} == {str(f) for f in files}


@pytest.mark.parametrize("name", sorted(p.name for p in INVALID.glob("*.yaml")))
def test_every_command_that_reads_a_map_explains_a_bad_one(name, capsys):
    assert main(["outline", str(INVALID / name)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(str(INVALID / name))
