"""The one way argkit cuts text to fit: a claim in a list, a title, a value quoted in a message."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import argkit
from argkit._text import shorten

SRC = Path(argkit.__file__).parent


def test_shorten_keeps_one_line_and_cuts_without_a_space_before_the_ellipsis():
    assert shorten("Tea  is\ngood.") == "Tea is good."
    assert shorten("Tea is good and cheap.", 12) == "Tea is good…"  # not "Tea is good …"
    assert shorten("Tea is good.", 12) == "Tea is good."
    assert shorten("x" * 61) == "x" * 59 + "…"


@given(text=st.text(), width=st.integers(min_value=1, max_value=80))
def test_shorten_never_exceeds_the_width_and_keeps_the_start(text: str, width: int):
    one_line = " ".join(text.split())
    out = shorten(text, width)
    assert len(out) <= width and "\n" not in out
    if out != one_line:
        assert out.endswith("…") and one_line.startswith(out[:-1])


@pytest.mark.parametrize("yaml_text, shown", [
    ("argkit: " + "word " * 30 + "\ntitle: t\nnodes:\n- {id: t, text: T.}\n", "'" + "word " * 11 + "word…'"),
    ("title: t\nnodes:\n- {id: t, text: T., stance: !!float " + "x" * 80 + "}\n", "'" + "x" * 39 + "…'"),
])
def test_messages_quote_long_values_cut_the_same_way(yaml_text: str, shown: str):
    with pytest.raises(argkit.ArgkitError) as e:
        argkit.parse_map(yaml_text)
    assert shown in str(e.value)


def test_no_module_keeps_its_own_truncation_helper():
    # Text cut with an ellipsis: only _text does it (render's word wrap marks its last line, which
    # is a different rule: the box shows nine lines and the tooltip the rest).
    cut = re.compile(r"\[[^\]\n]*:[^\]\n]*\](?:\.rstrip\(\))?\s*\+\s*[\"'](?:…|\.\.\.| \.\.\.)[\"']")
    found = [f"{p.relative_to(SRC)}: {line.strip()}" for p in sorted(SRC.rglob("*.py"))
             for line in p.read_text(encoding="utf-8").splitlines()
             if cut.search(line) and p.name != "_text.py"]
    assert [f.split(":")[0] for f in found] == ["render.py"], found
