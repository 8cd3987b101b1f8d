"""Validation: every malformed file in tests/data/invalid gives the exact place and message."""

from __future__ import annotations

from pathlib import Path

import pytest

import argkit
from argkit.model import ArgumentMap, Node, Relation

INVALID = Path(__file__).parent / "data" / "invalid"

# file, line, column, message (each file is one failure mode)
CASES = [
    ("alias-bomb.yaml", 2, 4, 'YAML anchors and aliases (&name, *name) are not allowed in maps'),
    ("alias-simple.yaml", 4, 9, 'YAML anchors and aliases (&name, *name) are not allowed in maps'),
    ("blank-text.yaml", 8, 3, "node 'r' has no text"),
    ("cycle.yaml", 6, 3, 'the parents form a loop: a -> b -> a'),
    ("duplicate-id.yaml", 9, 3, "duplicate node id 'r'"),
    ("duplicate-key-in-node.yaml", 9, 3, "duplicate key 'text'"),
    ("duplicate-top-key.yaml", 5, 1, "duplicate key 'nodes'"),
    ("empty.yaml", 1, 1, 'the file is empty'),
    ("evidence-con.yaml", 8, 3, "evidence 'e' has stance con"),
    ("extends-missing.yaml", 2, 1, "cannot find the map this work extends (teacher.yaml)"),
    ("id-starts-with-digit.yaml", 5, 3, "node id '1r' is not a valid id"),
    ("id-with-colon.yaml", 5, 3, "node id 'r:n' is not a valid id"),
    ("id-with-space.yaml", 5, 3, "node id 'my reason' is not a valid id"),
    ("link-mismatch.yaml", 13, 3, "co-premises of group 'g1' must share parent and stance ('k' differs from 'r')"),
    ("lonely-link.yaml", 8, 3, "co-premise group 'g1' has only one member"),
    ("missing-stance.yaml", 6, 3, "node 'r' has a parent but no stance"),
    ("missing-text.yaml", 5, 3, "node 'r' has no text"),
    ("missing-title.yaml", 1, 1, 'the map has no title'),
    ("misspelt-node-field.yaml", 8, 3, "unknown field 'txt' in nodes entry 2"),
    ("misspelt-quote-field.yaml", 11, 5, "unknown field 'endnot' in the quote of node 'r'"),
    ("misspelt-source-field.yaml", 4, 3, "unknown field 'auther' in sources entry 1"),
    ("misspelt-top-field.yaml", 1, 1, "unknown field 'titel' in the map"),
    ("no-nodes-key.yaml", 1, 1, "the map has no 'nodes:' list"),
    ("node-is-text.yaml", 5, 3, "nodes entry 2 must be a mapping of 'key: value' lines"),
    ("nodes-not-list.yaml", 3, 3, "'nodes' must be a list of entries, each starting with '- '"),
    ("not-utf8.yaml", 4, 16, 'the file is not UTF-8 text'),
    ("only-comments.yaml", 1, 1, 'the file is empty'),
    ("relation-missing-to.yaml", 10, 3, "relations entry 1 has no 'to'"),
    ("relation-unknown-target.yaml", 12, 3, "relation to unknown node 'x9'"),
    ("stance-without-parent.yaml", 4, 3, "node 't' has a stance but no parent"),
    ("tags-not-list.yaml", 9, 9, "'tags' of node 'r' must be a list of words"),
    ("too-deep.yaml", 2, 71, 'the YAML is nested more than 64 levels deep'),
    ("top-level-list.yaml", 1, 1, "a map file must be a mapping with 'title:' and 'nodes:'"),
    ("top-level-text.yaml", 1, 1, "a map file must be a mapping with 'title:' and 'nodes:'"),
    ("unknown-basis.yaml", 8, 3, "unknown basis 'anecdote' for node 'e'"),
    ("unknown-parent.yaml", 6, 3, "node 'r' has unknown parent 'tt'"),
    ("unknown-quote-source.yaml", 7, 3, "node 't' cites source 'book', which is not in the map's sources"),
    ("unknown-relation-type.yaml", 15, 3, "unknown relation type 'attakcs'"),
    ("unknown-source.yaml", 6, 3, "node 't' cites source 'blgo', which is not in the map's sources"),
    ("unknown-stance.yaml", 7, 3, "unknown stance 'agianst' for node 'r'"),
    ("utf16.yaml", 1, 1, "the file is UTF-16 text, not UTF-8"),
    ("version-2.yaml", 1, 9, 'unsupported format version'),
    ("yaml-bad-indent.yaml", 5, 2, "YAML syntax error: expected <block end>, but found '<block sequence start>'"),
    ("yaml-colon-in-text.yaml", 4, 12, 'YAML syntax error: mapping values are not allowed here'),
    ("yaml-tab.yaml", 4, 1, "YAML syntax error: found character '\\t' that cannot start any token"),
    ("yaml-unclosed-quote.yaml", 4, 9, 'YAML syntax error: a quoted text starting here is never closed'),
    ("year-not-number.yaml", 4, 9, "'year' in sources entry 1 must be a whole number"),
]


def test_the_corpus_is_complete():
    assert len(CASES) >= 30
    assert {c[0] for c in CASES} == {p.name for p in INVALID.glob("*.yaml")}


@pytest.mark.parametrize(("name", "line", "column", "message"), CASES, ids=[c[0] for c in CASES])
def test_malformed_file_gives_place_and_message(name, line, column, message):
    problems = argkit.validate(INVALID / name)
    assert problems, f"{name} should be invalid"
    found = [(d.path, d.line, d.column, d.message) for d in problems]
    assert (str(INVALID / name), line, column, message) in found
    assert all(d.fix for d in problems), "every problem says how to fix it"


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_load_raises_with_the_same_place(name):
    with pytest.raises(argkit.ArgkitError) as info:
        argkit.load(INVALID / name)
    assert isinstance(info.value, ValueError)
    diags = getattr(info.value, "diagnostics", None) or (info.value.diagnostic,)
    assert {str(d) for d in argkit.validate(INVALID / name)} == {str(d) for d in diags}


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_bytes(b"title: Tea\n" + b"# padding\n" * (argkit.mapfile.MAX_BYTES // 10 + 1))
    [problem] = argkit.validate(big)
    assert problem.code == "too-large"
    assert "the limit is 1,000,000" in problem.message


def test_all_problems_come_back_at_once(tmp_path):
    f = tmp_path / "many.yaml"
    f.write_text(
        "title: Tea\nnodes:\n- id: t\n  text: Tea.\n"
        "- id: a\n  parent: t\n  stance: maybe\n  text: A.\n"
        "- id: b\n  parent: nowhere\n  stance: pro\n  text: B.\n"
        "- id: c\n  parent: t\n  stance: con\n  txet: C.\n",
        encoding="utf-8",
    )
    problems = argkit.validate(f)
    assert [(d.line, d.code) for d in problems] == [
        (7, "unknown-stance"), (10, "unknown-parent"), (13, "missing-text"), (16, "unknown-field")]


def test_a_valid_file_has_no_problems(tmp_path):
    f = tmp_path / "ok.yaml"
    f.write_text("title: Tea\nnodes:\n- id: t\n  text: Tea.\n- id: a\n  parent: t\n  stance: pro\n"
                 "  text: A.\n", encoding="utf-8")
    assert argkit.validate(f) == []


def test_maps_built_in_code_are_checked_too():
    m = ArgumentMap("T", (Node("t", "Tea."), Node("x", "X.", parent="t", stance="con"),
                          Node("x", "Again.", parent="t", stance="pro")),
                    relations=(Relation("x", "supports", "ghost"),))
    codes = [d.code for d in argkit.validate(m)]
    assert codes == ["duplicate-id", "unknown-target"]
    assert all(d.path is None and d.line is None for d in argkit.validate(m))


def test_an_overlay_is_checked_against_the_map_it_extends(tmp_path):
    (tmp_path / "ref.yaml").write_text("title: Tea\nreference: true\nnodes:\n- id: t\n  text: Tea.\n",
                                       encoding="utf-8")
    good = tmp_path / "good.yaml"
    good.write_text("title: Mine\nextends: ref.yaml\nnodes:\n- id: s\n  parent: t\n  stance: con\n"
                    "  text: Too hot.\n  added_by: ana\n", encoding="utf-8")
    bad = tmp_path / "bad.yaml"
    bad.write_text("title: Mine\nextends: ref.yaml\nnodes:\n- id: s\n  parent: tea\n  stance: con\n"
                   "  text: Too hot.\n", encoding="utf-8")
    assert argkit.validate(good) == []
    [problem] = argkit.validate(bad)
    assert (problem.line, problem.code, problem.fix) == (5, "unknown-parent", "did you mean 't'?")
    clash = tmp_path / "clash.yaml"
    clash.write_text("title: Mine\nextends: ref.yaml\nnodes:\n- id: t\n  parent: t\n  stance: con\n"
                     "  text: Mine.\n", encoding="utf-8")
    assert next(d.code for d in argkit.validate(clash)) == "duplicate-id"


def test_undercutting_a_contention_is_explained():
    m = ArgumentMap("T", (Node("t", "Tea."), Node("a", "A.", parent="t", stance="con")),
                    relations=(Relation("a", "undercuts", "t"),))
    [problem] = argkit.validate(m)
    assert problem.code == "undercut-root"


def test_an_overlay_may_repeat_a_base_source_but_not_change_it(tmp_path):
    (tmp_path / "ref.yaml").write_text("title: Tea\nsources:\n- id: blog\n  year: 2020\nnodes:\n- id: t\n"
                                       "  text: Tea.\n  source: blog\n", encoding="utf-8")
    same = tmp_path / "same.yaml"
    same.write_text("title: Mine\nextends: ref.yaml\nsources:\n- id: blog\n  year: 2020\nnodes:\n- id: s\n"
                    "  parent: t\n  stance: con\n  text: Hot.\n  source: blog\n", encoding="utf-8")
    assert argkit.validate(same) == []
    argkit.save(argkit.load(same), same)
    assert "year: 2020" in same.read_text(encoding="utf-8")  # kept: the file still stands alone
    other = tmp_path / "other.yaml"
    other.write_text(same.read_text(encoding="utf-8").replace("2020", "2021"), encoding="utf-8")
    [problem] = argkit.validate(other)
    assert (problem.line, problem.code) == (6, "source-conflict")  # "argkit: 1", extends_fingerprint added


def _unknown_parents(n: int) -> ArgumentMap:
    nodes = [Node("root", "R.")] + [Node(f"node{i}", "x", parent=f"node{i}x", stance="pro")
                                    for i in range(n)]
    return ArgumentMap("Many", tuple(nodes))


def test_did_you_mean_is_linear(monkeypatch):
    """600 unknown parents among 600 ids: the suggestions compare a bounded number of pairs.

    (Before, every unknown id was compared with every known one: 360,000 comparisons here, and
    19,000 unknown parents kept ``validate`` busy for minutes.)
    """
    import difflib

    calls = 0
    real = difflib.SequenceMatcher.set_seq1

    def counting(self, a):
        nonlocal calls
        calls += 1
        return real(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", counting)
    problems = argkit.validate(_unknown_parents(600))
    assert sum(d.code == "unknown-parent" for d in problems) == 600
    assert calls <= 20 * 600
    # the first misses still get a suggestion
    assert problems[0].got == "node0x" and problems[0].fix == "did you mean 'node0'?"


def test_unknown_source_choices_are_bounded():
    from argkit.model import Source

    sources = tuple(Source(f"s{i}") for i in range(500))
    m = ArgumentMap("S", tuple(Node(f"n{i}", "x", source=f"t{i}", parent="n0" if i else None,
                                    stance="pro" if i else None) for i in range(300)),
                    sources=sources)
    problems = [d for d in argkit.validate(m) if d.code == "unknown-source"]
    assert len(problems) == 300
    assert all(len(d.choices) <= 20 for d in problems)
