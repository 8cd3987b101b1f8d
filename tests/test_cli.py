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


# -- hostile input: nothing reaches the terminal raw --------------------------------------------
ESCAPES = "\x1b]0;owned\x07\x1b[2J\r\x1b[1Aok \u202eevil"


def _assert_inert(text: str) -> None:
    import re

    assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]", text), text


@pytest.mark.parametrize("command", ["validate", "evaluate", "table", "outline"])
def test_a_hostile_file_name_is_printed_inert(tmp_path, capsys, command):
    p = tmp_path / f"evil{ESCAPES}.yaml"
    p.write_text("title: [\n", encoding="utf-8")
    assert main([command, str(p)]) == 1
    out, err = capsys.readouterr()
    _assert_inert(out + err)
    assert "\\x1b]0;owned\\x07" in out + err and "\\u202eevil" in out + err


def test_collect_prints_hostile_names_inert(tmp_path, capsys):
    (tmp_path / f"evil{ESCAPES}.yaml").write_text("title: [\n", encoding="utf-8")
    (tmp_path / "bad\x1b[2J.yaml").write_bytes(b"title: T\x1b[2J\n")
    assert main(["collect", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    _assert_inert(out + err)
    assert err.count("skipped:") == 2


def test_output_that_cannot_be_encoded_is_escaped_not_an_error(good, monkeypatch):
    import io

    buf = io.BytesIO()
    stream = io.TextIOWrapper(buf, encoding="ascii")
    monkeypatch.setattr(sys, "stdout", stream)
    good.write_text(GOOD.replace("Tasty.", "Tasty \u2014 and \u201chot\u201d."), encoding="utf-8")
    assert main(["outline", str(good)]) == 0
    stream.flush()
    assert b"\\u2014" in buf.getvalue()


def test_reject_and_accept_the_same_claim_is_a_usage_error(good, capsys):
    assert main(["evaluate", str(good), "--reject", "t", "--accept", "t"]) == 2
    err = capsys.readouterr().err
    assert "'t' is both rejected and accepted" in err and "internal error" not in err


def test_a_map_built_in_code_with_control_characters_is_invalid():
    from argkit.model import ArgumentMap, Node

    m = ArgumentMap("T", (Node("t", "Tea \u202eis good."), Node("r", "x\x1b[2J", parent="t", stance="pro")))
    problems = argkit.validate(m)
    assert [d.code for d in problems] == ["bad-character", "bad-character"]
    assert "U+202E" in problems[0].message and "U+001B" in problems[1].message


def test_a_bug_is_one_line_that_says_so_unless_debugging(good, tmp_path, capsys, monkeypatch):
    from argkit import render

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(render, "to_svg", broken)
    monkeypatch.delenv("ARGKIT_DEBUG", raising=False)
    argv = ["render", str(good), "-o", str(tmp_path / "m.svg")]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("argkit: internal error: RuntimeError: boom\nThis is a bug in argkit, not in your map")
    assert "Traceback" not in err and "ARGKIT_DEBUG=1" in err
    monkeypatch.setenv("ARGKIT_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        main(argv)


def test_ctrl_c_exits_130_without_a_traceback(good, tmp_path, capsys, monkeypatch):
    from argkit import render

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "to_svg", interrupted)
    assert main(["render", str(good), "-o", str(tmp_path / "m.svg")]) == 130
    assert capsys.readouterr().err == "" and not (tmp_path / "m.svg").exists()


def test_size_is_for_pictures_only(good, tmp_path, capsys):
    assert main(["render", str(good), "-o", str(tmp_path / "m.svg"), "--size", "1080p"]) == 2
    assert "--size is for .png and .pdf pictures only" in capsys.readouterr().err
    assert not (tmp_path / "m.svg").exists()
