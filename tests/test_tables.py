"""Tests for argkit.tables: a map as a DataFrame, summaries, and the class view."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pandas as pd
import pytest

import argkit
from argkit.cli import main
from argkit.errors import ChoiceError
from argkit.model import ArgumentMap, Node, Quote
from argkit.semantics import evaluate
from argkit.tables import FRAME_COLUMNS, ClassWork, collect, summary, to_frame

ROOT = Path(__file__).resolve().parent.parent
CLASS_EXAMPLE = ROOT / "notebooks" / "class-example"

MAP = ArgumentMap("Tea", (
    Node("t", "Tea is good.", author="Ann Lee", source="blog"),
    Node("r", "It is tasty.", parent="t", stance="pro", author="Ann Lee"),
    Node("e", "Survey: 80% like it.", parent="r", stance="pro", basis="statistic",
         quote=Quote("80% like it", endnote="4"), source="survey"),
    Node("o", "It stains teeth.", parent="t", stance="con", author="Bo Ray", added_by="sam"),
    Node("b", "Brushing helps.", parent="o", stance="con", author="Ann Lee"),
))

REFERENCE = textwrap.dedent("""\
    argkit: 1
    title: Tea
    reference: true
    nodes:
    - id: t
      author: Ann Lee
      text: Tea is good.
    - id: r
      parent: t
      stance: pro
      author: Ann Lee
      text: It is tasty.
    """)


def overlay(student: str, *nodes: str, extends: str = "ref.yaml") -> str:
    body = "".join(textwrap.dedent(n) for n in nodes)
    return f"argkit: 1\ntitle: {student}'s map\nextends: {extends}\nnodes:\n{body}"


def node(node_id: str, parent: str, stance: str, added_by: str | None = None) -> str:
    who = f"  added_by: {added_by}\n" if added_by else ""
    return f"- id: {node_id}\n  parent: {parent}\n  stance: {stance}\n{who}  text: Claim {node_id}.\n"


@pytest.fixture
def class_folder(tmp_path: Path) -> Path:
    (tmp_path / "ref.yaml").write_text(REFERENCE, encoding="utf-8")
    d = tmp_path / "class"
    d.mkdir()
    (d / "ann.yaml").write_text(overlay("Ann", node("a1", "t", "con", "ann"), node("a2", "a1", "con", "ann"),
                                        extends="../ref.yaml"), encoding="utf-8")
    (d / "bo.yaml").write_text(overlay("Bo", node("b1", "t", "con"), node("b2", "r", "con"),
                                       node("b3", "r", "pro"), extends="../ref.yaml")
                               + "relations:\n- from: b2\n  type: attacks\n  to: b1\n", encoding="utf-8")
    (d / "corrupt.yaml").write_text("title: x\nnodes:\n- id: a\n  text: [unclosed\n", encoding="utf-8")
    (d / "typo.yaml").write_text(overlay("Cy", node("c1", "t", "fro", "cy"), node("c2", "t", "agianst", "cy"),
                                         extends="../ref.yaml"), encoding="utf-8")
    (d / "binary.yaml").write_bytes(b"title: \xff\xfe\n")
    (d / "alone.yaml").write_text("title: Alone\nnodes:\n- id: z\n  text: A map of my own.\n", encoding="utf-8")
    (d / "notes.txt").write_text("not a map", encoding="utf-8")
    return d


# -- to_frame and summary -----------------------------------------------------------------------
def test_to_frame_has_one_row_per_claim_in_outline_order():
    f = to_frame(MAP)
    assert list(f.columns) == list(FRAME_COLUMNS)
    assert list(f["id"]) == ["t", "r", "e", "o", "b"]
    assert list(f["kind"]) == ["contention", "reason", "evidence", "objection", "rebuttal"]
    assert list(f["depth"]) == [0, 1, 2, 1, 2]
    assert list(f["label"]) == ["IN", "IN", "IN", "OUT", "IN"]
    row = f.set_index("id").loc["e"]
    assert (row["endnote"], row["quote"], row["basis"], row["source"]) == ("4", "80% like it", "statistic", "survey")
    assert f.set_index("id").loc["o", "added_by"] == "sam"
    assert pd.isna(f.set_index("id").loc["t", "parent"])


def test_to_frame_uses_the_labelling_it_is_given():
    f = to_frame(MAP, evaluate(MAP, reject=["b"]))
    assert list(f["label"]) == ["OUT", "IN", "IN", "IN", "OUT"]


def test_summary_by_author_kind_and_source():
    s = summary(MAP, by="author")
    assert list(s.index) == ["Ann Lee", "(none)", "Bo Ray"]
    assert s.loc["Ann Lee"].to_dict() == {"contention": 1, "reason": 1, "evidence": 0, "objection": 0,
                                          "rebuttal": 1, "claims": 3, "IN": 3, "OUT": 0, "UNDEC": 0}
    k = summary(MAP, by="kind")
    assert list(k.index) == ["contention", "reason", "objection", "rebuttal", "evidence"]
    assert list(k.columns) == ["claims", "IN", "OUT", "UNDEC"]
    assert k.loc["objection", "OUT"] == 1
    src = summary(MAP, by="source")
    assert src["claims"].to_dict() == {"(none)": 3, "blog": 1, "survey": 1}
    assert summary(MAP, by="kind", labelling=evaluate(MAP, reject=["b"])).loc["objection", "IN"] == 1


def test_summary_refuses_an_unknown_grouping():
    with pytest.raises(ValueError, match=r"cannot summarise by 'year' \(must be one of 'author'"):
        summary(MAP, by="year")


# -- collect -------------------------------------------------------------------------------------
def test_collect_reports_bad_files_and_returns_the_rest(class_folder: Path):
    work = collect(class_folder)
    assert isinstance(work, ClassWork)
    assert work.files == 2
    assert sorted(Path(d.path).name for d in work.problems) == ["alone.yaml", "binary.yaml",
                                                                 "corrupt.yaml", "typo.yaml"]
    codes = {Path(d.path).name: d.code for d in work.problems}
    assert codes == {"alone.yaml": "not-overlay", "binary.yaml": "not-utf8",
                     "corrupt.yaml": "yaml-syntax", "typo.yaml": "unknown-stance"}
    typo = next(d for d in work.problems if d.path.endswith("typo.yaml"))
    assert "and 1 more problem(s)" in typo.message
    f = work.frame
    assert list(f["id"]) == ["a1", "a2", "b1", "b2", "b3"]
    assert list(f["student"]) == ["ann", "ann", "bo", "bo", "bo"]  # added_by, else the file stem
    assert list(f["target"]) == ["t", "a1", "t", "r", "r"]
    assert list(f["kind"]) == ["objection", "rebuttal", "objection", "objection", "reason"]
    assert list(f["target_kind"]) == ["contention", "objection", "contention", "reason", "reason"]
    assert f.loc[0, "target_author"] == "Ann Lee" and f.loc[0, "file"] == "ann.yaml"
    assert list(f["label"]) == ["OUT", "IN", "OUT", "IN", "IN"]
    assert work.relations.to_dict("records") == [
        {"student": "bo", "file": "bo.yaml", "from": "b2", "type": "attacks", "to": "b1"}]
    assert repr(work) == "ClassWork(files=2, students=2, claims=5, problems=4)"
    assert work.report().splitlines()[0] == "2 file(s) read, 4 skipped"


def test_collect_accepts_a_list_of_files_and_refuses_a_missing_folder(class_folder: Path, tmp_path: Path):
    work = collect([class_folder / "bo.yaml", class_folder / "corrupt.yaml"])
    assert work.files == 1 and len(work.problems) == 1 and work.students == ("bo",)
    with pytest.raises(FileNotFoundError):
        collect(tmp_path / "nowhere")
    empty = collect([])
    assert empty.files == 0 and empty.frame.empty and empty.targets().empty


def test_where_the_class_concentrated_and_how_students_differ(class_folder: Path):
    work = collect(class_folder)
    t = work.targets()
    assert list(t.index) == ["t", "a1", "r"]
    assert t.loc["t", "claims"] == 2 and t.loc["t", "students"] == 2
    assert list(work.targets(kinds=None).index) == ["t", "r", "a1"]  # r: 2 claims, 1 student
    s = work.by_student()
    assert s.to_dict("index") == {
        "ann": {"reason": 0, "objection": 1, "rebuttal": 1, "claims": 2, "relations": 0, "standing": 1},
        "bo": {"reason": 1, "objection": 2, "rebuttal": 0, "claims": 3, "relations": 1, "standing": 2},
    }
    assert list(s.columns) == ["reason", "objection", "rebuttal", "claims", "relations", "standing"]


def test_plots_return_axes(class_folder: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    work = collect(class_folder)
    ax = work.plot_targets()
    assert ax.get_title() == "Where the class argued"
    assert [t.get_text() for t in ax.get_yticklabels()] == ["r", "a1", "t"]
    ax = work.plot_students()
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ann", "bo"]
    plt.close("all")


def test_the_shipped_class_example_has_four_students_and_one_broken_file():
    work = collect(CLASS_EXAMPLE)
    assert work.files == 4 and work.students == ("ana", "ben", "chloe", "dev")
    assert [Path(d.path).name for d in work.problems] == ["cox-thesis-eli.yaml"]
    assert "did you mean 'r_history'?" in str(work.problems[0])
    assert work.targets().index[0] == "cox"
    for path in sorted(CLASS_EXAMPLE.glob("*.yaml")):
        if path.name != "cox-thesis-eli.yaml":
            assert argkit.validate(path) == []


# -- the command line -------------------------------------------------------------------------
def test_cli_table_writes_csv(tmp_path: Path, capsys):
    f = tmp_path / "ref.yaml"
    f.write_text(REFERENCE, encoding="utf-8")
    out = tmp_path / "out.csv"
    assert main(["table", str(f), "-o", str(out)]) == 0
    frame = pd.read_csv(out)
    assert list(frame.columns) == list(FRAME_COLUMNS) and list(frame["id"]) == ["t", "r"]
    assert main(["table", str(f)]) == 0
    assert "contention" in capsys.readouterr().out
    assert main(["table", str(f), "-o", str(tmp_path / "out.xlsx")]) == 2
    assert "must end in .csv" in capsys.readouterr().err


def test_cli_collect_writes_csv_and_reports_skipped_files(class_folder: Path, tmp_path: Path, capsys):
    out = tmp_path / "class.csv"
    assert main(["collect", str(class_folder), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert err.count("skipped: ") == 4 and "corrupt.yaml:5" in err
    assert "5 student claims from 2 file(s); 4 skipped" in err and "Traceback" not in err
    assert list(pd.read_csv(out)["student"]) == ["ann", "ann", "bo", "bo", "bo"]
    assert main(["collect", str(tmp_path / "nowhere")]) == 1
    assert "nowhere" in capsys.readouterr().err


def test_cli_table_on_a_broken_file_exits_1_without_traceback(class_folder: Path, capsys):
    assert main(["table", str(class_folder / "corrupt.yaml")]) == 1
    err = capsys.readouterr().err
    assert "corrupt.yaml:5" in err and "Traceback" not in err


# -- hostile and odd files in a class folder -------------------------------------------------
def test_plots_of_an_empty_class_say_so(tmp_path: Path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    work = collect(tmp_path)
    ax = work.plot_targets()
    assert ax.get_title() == "Where the class argued"
    assert [t.get_text() for t in ax.texts] == ["no objections and rebuttals added yet"]
    plt.close("all")
    ax = work.plot_students()
    assert [t.get_text() for t in ax.texts] == ["no claims added yet"]
    plt.close("all")


def test_one_bad_file_never_stops_collect_and_none_is_skipped_without_a_word(class_folder: Path, bounded):
    import os

    d = class_folder
    os.mkfifo(d / "fifo.yaml")
    (d / "dangling.yaml").symlink_to(d / "nowhere.yaml")
    (d / "environ.yaml").symlink_to("/proc/self/environ")
    (d / "nul.yaml").write_bytes(b"title: T\nextends: ../ref.yaml\nnodes:\n- id: x\x00\n")
    (d / "date.yaml").write_text("title: T\nextends: ../ref.yaml\nnodes:\n- id: q\n  parent: t\n"
                                 "  stance: con\n  text: !!int abc\n", encoding="utf-8")
    (d / "surrogate.yaml").write_text('title: T\nextends: ../ref.yaml\nnodes:\n- id: q\n  parent: t\n'
                                      '  stance: con\n  text: "a\\ud800b"\n', encoding="utf-8")
    (d / "bool.yaml").write_text("argkit: true\ntitle: T\nextends: ../ref.yaml\nnodes:\n- id: q\n"
                                 "  parent: t\n  stance: con\n  text: x\n", encoding="utf-8")
    (d / ".ann.yaml.1a2b3c4d.tmp").write_text("half a file", encoding="utf-8")
    os.mkdir(d / "folder.yaml")
    work = bounded(lambda: collect(d))
    assert work.files == 2
    names = sorted(Path(p.path).name for p in work.problems)
    assert names == ["alone.yaml", "binary.yaml", "bool.yaml", "corrupt.yaml", "dangling.yaml", "date.yaml",
                     "environ.yaml", "fifo.yaml", "nul.yaml", "surrogate.yaml", "typo.yaml"]
    assert "PATH=" not in work.report() and "HOME=" not in work.report()


def test_a_file_name_that_is_not_utf8_is_read_and_written_to_csv(class_folder: Path, tmp_path: Path):
    import os

    src = (class_folder / "ann.yaml").read_bytes()
    (class_folder / "ann.yaml").unlink()
    with open(os.fsencode(class_folder) + b"/an\xe9.yaml", "wb") as f:
        f.write(src)
    work = collect(class_folder)
    assert "an\\xe9.yaml" in set(work.frame["file"])
    out = tmp_path / "class.csv"
    assert main(["collect", str(class_folder), "-o", str(out)]) == 0
    assert "an\\xe9" in out.read_text(encoding="utf-8")


def test_the_student_is_the_file_name_not_what_the_file_claims(class_folder: Path):
    """bo.yaml whose claims say 'ann' added them is still Bo's, and the mismatch is reported."""
    text = (class_folder / "bo.yaml").read_text(encoding="utf-8")
    (class_folder / "bo.yaml").write_text(text.replace("  stance: con\n", "  stance: con\n  added_by: ann\n"),
                                          encoding="utf-8")
    work = collect(class_folder)
    assert set(work.frame[work.frame["file"] == "bo.yaml"]["student"]) == {"bo"}
    assert [(Path(n.path).name, n.code, n.got) for n in work.notes] == [("bo.yaml", "student-mismatch", "ann")]
    assert "note: " in work.report() and "added by 'ann'" in work.report()


def test_a_long_con_chain_written_child_first_does_not_stop_collect(class_folder: Path):
    lines = ["title: S", "extends: ../ref.yaml", "nodes:"]
    for i in range(1100, 0, -1):
        lines += [f"- id: c{i}", f"  parent: {'c' + str(i - 1) if i > 1 else 't'}", "  stance: con", "  text: x"]
    (class_folder / "chain.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    work = collect(class_folder)
    assert work.files == 3 and (work.frame["student"] == "chain").sum() == 1100


def test_chart_shows_the_plot_with_an_alt_that_gives_its_numbers(class_folder: Path):
    import base64

    work = collect(class_folder)
    chart = work.chart("targets")
    assert chart.alt() == ("Bar chart, Where the class argued: the claims the class answered most, and how "
                           "often. t: 2 claims by 2 students; a1: 1 claim by 1 student; r: 1 claim by 1 student.")
    assert [t.get_text() for t in chart.figure.axes[0].get_yticklabels()] == ["r", "a1", "t"]
    data, _ = chart._repr_mimebundle_()
    png = base64.b64decode(data["image/png"])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png == work.chart("targets").to_png()
    assert data["text/html"].startswith(f'<img src="data:image/png;base64,{data["image/png"]}" alt="Bar chart, ')
    assert data["text/html"].count("<li>") == 3
    students = work.chart("students")
    assert students.rows == tuple(f"{s}: " + ", ".join(parts) for s, parts in (
        ("ann", ["1 objection", "1 rebuttal"]), ("bo", ["1 reason", "2 objections"])))
    with pytest.raises(ChoiceError, match="must be one of 'targets', 'students'"):
        work.chart("pies")
