"""The overlay stage: the reference rule, split by id, finding the base anywhere, hand-in, sessions."""

from __future__ import annotations

import contextlib
import logging
import shutil
from pathlib import Path

import pytest

import argkit
from argkit import overlay
from argkit.convert import convert
from argkit.errors import ArgkitError, ReferenceMapError
from argkit.tables import collect

ROOT = Path(__file__).resolve().parent.parent
CLASS = ROOT / "notebooks" / "class-example"

REFERENCE = """\
argkit: 1
title: Tea
{flag}
sources:
- id: blog
  author: A. Writer
  year: 2020
nodes:
- id: t
  text: Tea is good.
- id: o
  parent: t
  stance: con
  text: It stains teeth.
"""

# Every spelling below loads as a reference map; each was overwritten by save/convert before.
FLAGS = [
    "reference: true",
    "reference: true  # the teacher's map",
    "reference: True",
    "reference: TRUE",
    "reference: on",
    "reference: Yes",
    "reference: !!bool true",
    '"reference": true',
    "'reference' : true",
    "reference : true",
    "reference:    yes   # do not edit",
    "? reference\n: true",
]


@pytest.fixture(autouse=True)
def fail_on_swallowed_callback_errors(caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.WARNING, logger="traitlets")
    yield
    bad = [r for r in caplog.get_records("call") if r.getMessage().startswith("Exception in callback")]
    if bad:
        pytest.fail("a widget callback raised:\n" + "\n".join(r.getMessage() for r in bad))


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "argmaps").mkdir()
    ref = tmp_path / "argmaps" / "tea.yaml"
    ref.write_text(REFERENCE.format(flag="reference: true"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for var in ("JUPYTERHUB_USER", overlay.HANDIN_ENV, overlay.SEARCH_ENV):
        monkeypatch.delenv(var, raising=False)
    return ref


# -- the reference rule -------------------------------------------------------------------------
@pytest.mark.parametrize("flag", FLAGS)
def test_every_spelling_of_the_flag_is_protected(tmp_path: Path, flag: str):
    ref = tmp_path / "ref.yaml"
    ref.write_text(REFERENCE.format(flag=flag), encoding="utf-8")
    before = ref.read_bytes()
    m = argkit.load(ref)
    assert m.reference  # it loads as reference material...
    assert overlay.is_reference_file(ref)
    with pytest.raises(ReferenceMapError, match="reference material"):  # ... so it is never overwritten
        argkit.save(m.add(argkit.Node("x", "More.", parent="t", stance="pro")), ref)
    other = tmp_path / "other.yaml"
    other.write_text(REFERENCE.format(flag=""), encoding="utf-8")
    for out in (ref, ref.with_suffix(".svg")):
        if out.suffix == ".svg":
            out.write_text(REFERENCE.format(flag=flag), encoding="utf-8")  # a map misnamed .svg
        with pytest.raises(ReferenceMapError):
            convert(other, out)
    assert ref.read_bytes() == before


def test_flow_style_and_false_flags(tmp_path: Path):
    flow = tmp_path / "flow.yaml"
    flow.write_text("{title: Tea, reference: true, nodes: [{id: t, text: Tea.}]}\n", encoding="utf-8")
    assert argkit.load(flow).reference and overlay.is_reference_file(flow)
    with pytest.raises(ReferenceMapError):
        argkit.save(argkit.load(flow), flow)
    for flag in ("reference: false", "reference: no", "reference: off", "", "# reference: true"):
        plain = tmp_path / "plain.yaml"
        plain.write_text(REFERENCE.format(flag=flag), encoding="utf-8")
        assert not overlay.is_reference_file(plain), flag
        argkit.save(argkit.load(plain), plain)  # an ordinary map is saved as before


def test_unparsable_file_with_a_flag_is_protected(tmp_path: Path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("title: Tea\nreference: true\nnodes: [\n", encoding="utf-8")
    assert overlay.is_reference_file(broken)
    with pytest.raises(ReferenceMapError):
        argkit.save(argkit.parse_map("title: T\nnodes:\n- id: t\n  text: T.\n"), broken)


def test_argdown_front_matter_flag_is_protected(tmp_path: Path):
    ref = tmp_path / "ref.yaml"
    ref.write_text(REFERENCE.format(flag="reference: true"), encoding="utf-8")
    ad = tmp_path / "ref.argdown"
    convert(ref, ad)  # argkit writes the flag into the Argdown front matter
    assert "reference: true" in ad.read_text(encoding="utf-8")
    assert overlay.is_reference_file(ad)
    before = ad.read_bytes()
    other = tmp_path / "other.yaml"
    other.write_text(REFERENCE.format(flag=""), encoding="utf-8")
    with pytest.raises(ReferenceMapError):
        convert(other, ad)
    assert ad.read_bytes() == before
    convert(other, ad, force=True)  # the teacher can
    assert ad.read_bytes() != before


def test_editor_refuses_every_spelling_as_save_to(course: Path):
    for i, flag in enumerate(FLAGS):
        f = Path(f"work/ref{i}.yaml")
        f.parent.mkdir(exist_ok=True)
        f.write_text(REFERENCE.format(flag=flag), encoding="utf-8")
        with pytest.raises(ReferenceMapError):
            argkit.edit(course, save_to=f, author="sam")


# -- split by id -------------------------------------------------------------------------------
def test_a_new_source_round_trips_through_the_editor(course: Path):
    Path("work").mkdir()
    mine = Path("work/tea-sam.yaml")
    mine.write_text("title: Tea\nextends: ../argmaps/tea.yaml\nsources:\n- id: s4\n  author: B. Reader\n"
                    "nodes:\n- id: sam-1\n  parent: o\n  stance: con\n  text: Brushing helps.\n"
                    "  source: s4\n- id: sam-2\n  parent: t\n  stance: pro\n  text: Cheap.\n"
                    "  source: blog\n", encoding="utf-8")
    ed = argkit.edit(course, save_to=mine, author="sam")
    ed.select("t")
    ed.text.value = "And warm."
    assert ed.add()
    text = mine.read_text(encoding="utf-8")
    assert "id: s4" in text and "id: blog" in text  # its own source and the base one it cites
    again = argkit.load(mine)
    assert again.source("s4").author == "B. Reader"
    assert [n.id for n in again.own_nodes()][:2] == ["sam-1", "sam-2"]


def test_split_keeps_repeated_and_cited_sources_once(course: Path):
    base = argkit.load(course)
    m = overlay.to_overlay(base).add(argkit.Node("x", "Hm.", parent="t", stance="con", source="blog"))
    own = overlay.split(m)
    assert [s.id for s in own.sources] == ["blog"] and [n.id for n in own.nodes] == ["x"]
    assert own.base is None


# -- finding the base anywhere -----------------------------------------------------------------
def test_collect_finds_the_class_example_copied_anywhere(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    expected = collect(CLASS)
    assert expected.files == 4 and len(expected.problems) == 1  # eli's file has a typo, on purpose
    inbox = tmp_path / "Downloads" / "seminar 3"
    inbox.mkdir(parents=True)
    for f in CLASS.glob("*.yaml"):
        shutil.copy(f, inbox / f.name)
    monkeypatch.chdir(ROOT)  # the teacher works from the course folder
    found = collect(inbox)
    assert (found.files, len(found.frame), len(found.problems)) == (4, len(expected.frame), 1)
    assert sorted(found.frame["id"]) == sorted(expected.frame["id"])
    monkeypatch.chdir(tmp_path)  # from anywhere else, ARGKIT_PATH names the course
    assert collect(inbox).files == 0
    monkeypatch.setenv(overlay.SEARCH_ENV, str(ROOT))
    assert collect(inbox).files == 4


def test_missing_base_says_where_to_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    shutil.copy(CLASS / "cox-thesis-ana.yaml", tmp_path / "ana.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(overlay.SEARCH_ENV, raising=False)
    [problem] = argkit.validate(tmp_path / "ana.yaml")
    assert "cannot find the map this work extends (cox-thesis.yaml)" in problem.message
    assert "argmaps/cox-thesis.yaml" in problem.fix and overlay.SEARCH_ENV in problem.fix


def test_a_hand_in_on_another_version_is_flagged_and_shown(course: Path, tmp_path: Path):
    ed = argkit.edit(course, author="sam")
    ed.select("o")
    ed.text.value = "Brushing helps."
    new = ed.add()
    handed = ed.hand_in()
    assert collect(handed.parent).notes == ()
    # the teacher rewords the objection, and later removes it
    course.write_text(course.read_text(encoding="utf-8").replace("It stains teeth.", "It stains."),
                      encoding="utf-8")
    work = collect(handed.parent)
    assert work.files == 1 and list(work.frame["id"]) == [new]
    [note] = work.notes
    assert note.code == "base-changed" and "another version of tea.yaml" in note.message
    course.write_text(REFERENCE.format(flag="reference: true").split("- id: o")[0], encoding="utf-8")
    work = collect(handed.parent)
    assert work.files == 1 and list(work.frame["id"]) == [new] and not work.problems
    assert "1 of its claim(s) answer claims that are no longer in the map" in work.notes[0].message


def test_fingerprint_is_remembered_per_map_object_and_follows_every_change(monkeypatch: pytest.MonkeyPatch):
    # Every save stamps the course map's fingerprint: the same (immutable) map is hashed once.
    from dataclasses import replace

    course = argkit.parse_map(REFERENCE.format(flag="reference: true"))
    calls = []
    real = overlay.generate_map
    monkeypatch.setattr(overlay, "generate_map", lambda m: calls.append(m) or real(m))
    first = overlay.fingerprint(course)
    assert overlay.fingerprint(course) == first and len(calls) == 1
    # An equal map read again hashes the same; a changed one (even a copy of the first) differs.
    assert overlay.fingerprint(argkit.parse_map(REFERENCE.format(flag="reference: true"))) == first
    changed = replace(course, nodes=(replace(course.nodes[0], text="Tea is bad."), *course.nodes[1:]))
    assert overlay.fingerprint(changed) != first
    for i in range(40):  # the memory stays small
        overlay.fingerprint(replace(course, title=f"Tea {i}"))
    assert len(overlay._BY_OBJECT) <= 16


def test_base_found_by_fingerprint_among_versions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    old, new = tmp_path / "v1", tmp_path / "v2"
    for d, text in ((old, "It stains teeth."), (new, "It stains.")):
        (d / "argmaps").mkdir(parents=True)
        (d / "argmaps" / "tea.yaml").write_text(
            REFERENCE.format(flag="reference: true").replace("It stains teeth.", text), encoding="utf-8")
    monkeypatch.chdir(old)
    ed = argkit.edit("argmaps/tea.yaml", author="sam")
    ed.select("o")
    ed.text.value = "No."
    ed.add()
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(ed.save_to, inbox / "sam.yaml")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(overlay.SEARCH_ENV, f"{new}{__import__('os').pathsep}{old}")
    m = argkit.load(inbox / "sam.yaml")
    assert Path(m.base.path).resolve() == (old / "argmaps" / "tea.yaml").resolve()
    assert not overlay.base_changed(m)


# -- hand-in -----------------------------------------------------------------------------------
def test_hand_in_never_overwrites_another_students_file(course: Path, monkeypatch: pytest.MonkeyPatch,
                                                        tmp_path: Path):
    box = tmp_path / "teacher-inbox"
    monkeypatch.setenv(overlay.HANDIN_ENV, str(box))
    sam = argkit.edit(course, author="Sam Lee")
    with pytest.raises(ArgkitError, match="nothing to hand in"):
        sam.hand_in()
    sam.select("t")
    sam.text.value = "Warm."
    sam.add()
    first = sam.hand_in()
    assert first == box / "tea-sam-lee.yaml"
    other = argkit.edit(course, save_to="work/other.yaml", author="sam-lee")  # same file name
    other.select("t")
    other.text.value = "Other student's claim."
    other.add()
    second = other.hand_in()
    assert second == box / "tea-sam-lee-2.yaml"
    assert "Warm." in first.read_text(encoding="utf-8")
    sam.select("t")
    sam.text.value = "Second thoughts."
    sam.add()
    sam.handin_button.click()  # handing in again replaces the student's own hand-in
    assert "Handed in" in sam.message.value
    assert "Second thoughts." in first.read_text(encoding="utf-8")
    assert "Other student's claim." in second.read_text(encoding="utf-8")
    assert not list(box.glob(".*.tmp"))
    work = collect(box)
    assert work.files == 2 and sorted(set(work.frame["student"])) == ["sam-lee", "sam-lee-2"]


def test_hand_in_folder_defaults_and_button_reports_errors(course: Path):
    ed = argkit.edit(course, author="sam")
    ed.handin_button.click()
    assert "Not done: there is nothing to hand in yet" in ed.message.value
    ed.select("t")
    ed.text.value = "Warm."
    ed.add()
    assert ed.hand_in() == Path("hand-in/tea-sam.yaml")
    assert argkit.load("hand-in/tea-sam.yaml").own_nodes()[0].text == "Warm."


# -- sessions ------------------------------------------------------------------------------------
def test_two_editors_on_one_file_lose_nothing(course: Path):
    a = argkit.edit(course, author="sam")
    b = argkit.edit(course, author="sam")  # a second tab, same student, same file
    a.select("t")
    a.text.value = "From tab A."
    ida = a.add()
    b.select("t")
    b.text.value = "From tab B."
    idb = b.add()
    assert ida == idb  # both tabs picked the same next id ...
    saved = argkit.load(a.save_to)
    texts = sorted(n.text for n in saved.own_nodes())
    assert texts == ["From tab A.", "From tab B."]  # ... and still nothing is lost
    assert "Another editor also saves to" in b.message.value and "is now" in b.message.value
    a.select("o")
    a.text.value = "A again."
    a.add()
    texts = sorted(n.text for n in argkit.load(a.save_to).own_nodes())
    assert texts == ["A again.", "From tab A.", "From tab B."]


def test_demo_editor_saves_nothing(course: Path):
    demo = argkit.edit(course, demo=True)
    demo.select("t")
    demo.text.value = "Example."
    assert demo.add()
    assert not Path("work").exists() and "nothing is saved" in demo.header.value
    demo.save_button.click()
    assert "demonstration" in demo.message.value
    with pytest.raises(ArgkitError):
        demo.export_svg()


def test_name_is_asked_before_anything_is_saved(course: Path):
    ed = argkit.edit(course)
    assert ed.save_to is None and "Your name" in ed.name.description
    ed.select("t")
    ed.text.value = "Mine."
    assert ed.add() is None and "Type your name" in ed.message.value
    ed.name.value = "Sam"
    ed.start_button.click()
    assert ed.save_to == Path("work/tea-sam.yaml") and ed.name.disabled
    ed.text.value = "Mine."
    assert ed.add() == "sam-3"
    assert [n.added_by for n in argkit.load(ed.save_to).own_nodes()] == ["Sam"]
    again = argkit.edit(course)
    again.name.value = "Sam"
    again.start_button.click()
    assert "Reopened work/tea-sam.yaml: 1 claim(s)" in "".join(o["text"] for o in again.output.outputs)


def test_exports_stay_in_the_work_folder(course: Path):
    ed = argkit.edit(course, author="sam")
    elsewhere = str(course.parent.parent.parent.resolve() / "elsewhere.svg")  # absolute, outside the course
    for bad in ("../argmaps/tea.yaml", "argmaps/tea.svg", "work/tea-sam.yaml", "work/x.yaml", elsewhere):
        with pytest.raises(ArgkitError):
            ed.export_svg(bad)
        with pytest.raises(ArgkitError):
            ed.export_outline(bad)
    assert course.read_text(encoding="utf-8") == REFERENCE.format(flag="reference: true")
    assert ed.export_svg("work/pics/mine.svg").is_file()
    assert ed.export_outline().name == "tea-sam.txt"
    with pytest.raises(ArgkitError, match=r"ending in \.yaml"):
        argkit.edit(course, save_to="work/mine.svg", author="sam")


def test_log_ids_are_never_reused_after_undo(course: Path):
    ed = argkit.edit(course, author="sam")
    ed.select("t")
    ed.text.value = "One."
    first = ed.add()
    ed.undo()
    ed.select("t")
    ed.text.value = "Two."
    second = ed.add()
    assert first != second
    log = "".join(o["text"] for o in ed.output.outputs)
    assert log.count(f"Added your objection {first} ") == 1


# -- the smaller persistence bugs of #12 and #16 -----------------------------------------------------
@pytest.mark.parametrize("ch", ["\x85", "\u2028", "\u2029"])
def test_line_separators_round_trip(course: Path, ch: str):
    """U+0085 (NEL) came back as a space after a save and a load."""
    m = argkit.parse_map("title: T\nnodes:\n- id: t\n  text: T.\n")
    m = m.add(argkit.Node("x", f"one{ch}two", parent="t", stance="pro",
                          quote=argkit.Quote(f"q{ch}q")))
    argkit.save(m, "plain.yaml")
    back = argkit.load("plain.yaml")
    assert back.node("x").text == f"one{ch}two" and back.node("x").quote.text == f"q{ch}q"
    ed = argkit.edit(course, author="sam")
    ed.select("t")
    ed.text.value = f"a{ch}b"
    new = ed.add()
    assert argkit.load(ed.save_to).node(new).text == f"a{ch}b"


def test_quote_length_is_limited_like_the_text(course: Path):
    from argkit.validate import MAX_TEXT

    ed = argkit.edit(course, author="sam")
    ed.select("t")
    ed.text.value = "Short claim."
    ed.quote.value = "w" * (MAX_TEXT + 5)
    assert ed.add() is None and "Your quote is 5 characters too long" in ed.message.value
    m = argkit.parse_map("title: T\nnodes:\n- id: t\n  text: T.\n")
    m = m.add(argkit.Node("x", "X.", parent="t", stance="pro", quote=argkit.Quote("w" * (MAX_TEXT + 1))))
    assert [d.code for d in argkit.validate(m)] == ["quote-too-long"]


def test_a_save_that_could_not_be_read_back_is_refused(course: Path):
    from argkit import _io
    from argkit.validate import MAX_TEXT

    ed = argkit.edit(course, author="sam")
    ed.select("t")
    ed.text.value = "Kept."
    ed.add()
    before = ed.save_to.read_bytes()
    m = ed.map
    for i in range(_io.MAX_BYTES // MAX_TEXT + 2):
        m = m.add(argkit.Node(f"big{i}", "w" * (MAX_TEXT - 10), parent="t", stance="con"))
    with pytest.raises(argkit.WorkFileError, match="delete some claims"):
        overlay.save(m, ed.save_to)
    assert ed.save_to.read_bytes() == before  # the old work stays whole and readable
    argkit.load(ed.save_to)


def test_clicking_your_own_selected_box_again_fills_its_text(course: Path):
    ed = argkit.edit(course, author="sam")
    ed.select("t")
    ed.text.value = "Mine."
    mine = ed.add()
    ed.select(mine)
    assert ed.text.value == "Mine."
    ed.text.value = "Mine, changed."
    assert ed.update()
    assert ed.text.value == "" and ed.target.value == mine  # still selected, form cleared
    ed.view._handle_custom_msg({"event": "click", "id": mine}, [])  # what the browser sends
    assert ed.text.value == "Mine, changed."


def test_a_long_claim_is_said_to_be_cut_in_its_box(course: Path):
    ed = argkit.edit(course, author="sam")
    ed.select("t")
    ed.text.value = "word " * 390
    new = ed.add()
    assert "its box shows the beginning only" in ed.message.value
    assert argkit.load(ed.save_to).node(new).text == ("word " * 390).strip()
    ed.select("t")
    ed.text.value = "Short."
    ed.add()
    assert "beginning only" not in ed.message.value


def test_outline_keeps_the_author_and_basis_whole():
    m = argkit.ArgumentMap("T", (argkit.Node("t", "Tea.", author="Smith · Jones"),
                                 argkit.Node("e", "Data.", parent="t", stance="pro", basis="statistic",
                                             author="Ann · Bo")))
    assert argkit.to_outline(m).splitlines()[1:] == [
        "1. CONTENTION [t] · Smith · Jones: Tea.",
        "   1.1 EVIDENCE (statistic) [e] · Ann · Bo: Data."]


def test_to_frame_survives_a_cycle_of_con_parents():
    m = argkit.ArgumentMap("T", (argkit.Node("t", "Tea."),
                                 argkit.Node("a", "A.", parent="b", stance="con"),
                                 argkit.Node("b", "B.", parent="a", stance="con")))
    assert sorted(argkit.to_frame(m)["id"]) == ["a", "b", "t"]


@pytest.mark.parametrize("command", ["table", "collect", "render"])
def test_cli_outputs_are_written_atomically(course: Path, command: str):
    """CSV and render outputs went straight into the file: a crash mid-write left half a table."""
    from argkit.cli import main

    ed = argkit.edit(course, author="sam")
    ed.select("t")
    ed.text.value = "Mine."
    ed.add()
    out = Path("out.svg" if command == "render" else "out.csv")
    out.write_text("the old table\n", encoding="utf-8")
    inode = out.stat().st_ino
    arg = {"table": str(course), "collect": "work", "render": str(course)}[command]
    assert main([command, arg, "-o", str(out)]) == 0
    assert out.stat().st_ino != inode  # a new file moved into place, not the old one rewritten
    assert out.read_text(encoding="utf-8") != "the old table\n"
    assert not list(Path(".").glob(".out.*.tmp"))


# -- notebook 05 cannot hurt the student's work -----------------------------------------------------
def _code_cells(path: Path) -> list[str]:
    import json

    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def test_rerunning_notebook_05_in_any_order_keeps_the_students_claims(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch):
    import random

    shutil.copytree(ROOT / "argmaps", tmp_path / "argmaps")
    (tmp_path / "notebooks").mkdir()
    monkeypatch.chdir(tmp_path / "notebooks")
    for var in ("JUPYTERHUB_USER", overlay.HANDIN_ENV, overlay.SEARCH_ENV):
        monkeypatch.delenv(var, raising=False)
    cells = _code_cells(ROOT / "notebooks" / "05-your-turn.ipynb")
    ns: dict[str, object] = {}
    for c in cells:  # Run All, as the student does first
        exec(c, ns)
    assert not Path("work").exists()  # nothing is saved before the student gives a name
    ed = ns["ed"]
    assert ed.name.value == "" and ed.save_to is None  # the name is asked, not preset
    ed.name.value = "Sam"
    ed.start_button.click()
    ed.select(ed.map.root.id)
    ed.text.value = "My own objection."
    mine = ed.add()
    work = sorted(Path("work").glob("*.yaml"))
    assert [p.name for p in work] == [f"{Path(ed.save_to).name}"]

    def claims() -> list[tuple[str, str]]:
        return [(n.id, n.text) for n in argkit.load(work[0]).own_nodes()]

    expected = claims()
    assert expected == [(mine, "My own objection.")]
    rng = random.Random(5)
    orders = [list(range(len(cells))), list(reversed(range(len(cells))))]
    orders += [rng.sample(range(len(cells)), len(cells)) for _ in range(3)]
    for order in orders:
        for i in order:
            with contextlib.suppress(NameError):  # a cell run before the one defining its names
                exec(cells[i], ns)
            assert claims() == expected, f"cell {i} changed the student's file"
    assert sorted(Path("work").glob("*.yaml")) == work  # and no other file appeared


def test_notebook_05_default_name_cannot_collide_with_the_class_example():
    cells = "\n".join(_code_cells(ROOT / "notebooks" / "05-your-turn.ipynb"))
    students = {p.stem.rsplit("-", 1)[-1] for p in CLASS.glob("*.yaml")}
    assert "NAME =" not in cells and "author=" not in cells  # the editor asks the name
    assert not any(f'"{s}"' in cells for s in students)


# -- the reference rule on odd files -------------------------------------------------------------------
def test_argdown_front_matter_that_does_not_read_but_has_the_flag_is_protected(tmp_path: Path):
    ad = tmp_path / "ref.argdown"
    ad.write_text("===\ntitle: [Tea\nreference: true\n===\n\n[t]: Tea is good.\n", encoding="utf-8")
    assert overlay.is_reference_file(ad)
    ad.write_text("===\ntitle: [Tea\n===\n\n[t]: Tea is good. reference: true\n", encoding="utf-8")
    assert not overlay.is_reference_file(ad)  # the flag counts in the front matter only


def test_a_file_that_cannot_be_read_is_not_reference_material_and_never_blocks(tmp_path: Path, bounded):
    import os

    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    assert bounded(lambda: overlay.is_reference_file(fifo)) is False
    assert overlay.is_reference_file(tmp_path / "missing.yaml") is False
    latin1 = tmp_path / "latin1.yaml"  # not UTF-8, but a teacher's flag all the same
    latin1.write_bytes("title: Th\xe9\nreference: true\nnodes: []\n".encode("latin-1"))
    assert overlay.is_reference_file(latin1)


def test_split_of_a_map_that_extends_nothing_is_the_map():
    m = argkit.parse_map("title: T\nnodes:\n- id: t\n  text: T.\n")
    assert overlay.split(m) is m


# -- two editors on one file: what the other one wrote is kept ----------------------------------------
def _claim(nid: str, text: str, parent: str = "t", by: str = "sam") -> argkit.Node:
    return argkit.Node(nid, text, parent=parent, stance="pro", added_by=by)


def _texts_on_disk(path: Path) -> dict[str, str]:
    return {n.id: n.text for n in argkit.load(path).own_nodes()}


def test_a_claim_the_other_editor_changed_takes_its_change(course: Path):
    base, path = overlay.open_work(course, "work/tea-sam.yaml", "sam")
    mine = base.add(_claim("n1", "First."))
    a = overlay.WorkFile(path, mine)
    a.save(mine)
    b = overlay.WorkFile(path, argkit.load(path))
    b.save(argkit.load(path).replace_node(_claim("n1", "First, edited in tab B.")))
    saved, notes = a.save(mine.add(_claim("n2", "Second.")))  # A never touched n1 after saving it
    assert _texts_on_disk(path) == {"n1": "First, edited in tab B.", "n2": "Second."}
    assert saved.node("n1").text == "First, edited in tab B." and notes == [
        f"Another editor also saves to {path}: kept its claim(s) n1"]


def test_a_claim_added_under_one_this_editor_deleted_brings_it_back(course: Path):
    base, path = overlay.open_work(course, "work/tea-sam.yaml", "sam")
    mine = base.add(_claim("n1", "First."))
    a = overlay.WorkFile(path, mine)
    a.save(mine)
    theirs = argkit.load(path)
    overlay.WorkFile(path, theirs).save(theirs.add(_claim("n2", "Under the first.", parent="n1")))
    saved, notes = a.save(base)  # A deletes n1, not knowing that B answered it
    assert _texts_on_disk(path) == {"n1": "First.", "n2": "Under the first."}
    assert saved.node("n2").parent == "n1"  # the editor shows what was saved
    assert notes == [f"Another editor also saves to {path}: kept its claim(s) n2, n1"]


def test_the_same_new_id_in_both_editors_gives_mine_the_next_free_one(course: Path):
    base, path = overlay.open_work(course, "work/tea-sam.yaml", "sam")
    start = base.add(_claim("n1", "Shared."))
    a = overlay.WorkFile(path, start)
    a.save(start)
    b = overlay.WorkFile(path, argkit.load(path))
    b.save(start.add(_claim("n2", "B's second.")))
    saved, notes = a.save(start.add(_claim("n2", "A's second.")))
    assert _texts_on_disk(path) == {"n1": "Shared.", "n2": "B's second.", "n3": "A's second."}  # not n1
    assert saved.node("n3").text == "A's second."
    assert "your claim n2 is now n3 (the other editor used n2)" in notes


def test_a_work_file_broken_outside_the_editor_is_replaced_by_the_work_with_a_note(course: Path):
    base, path = overlay.open_work(course, "work/tea-sam.yaml", "sam")
    mine = base.add(_claim("n1", "First."))
    a = overlay.WorkFile(path, mine)
    a.save(mine)
    path.write_text("title: [half a file\n", encoding="utf-8")
    _, notes = a.save(mine)
    assert _texts_on_disk(path) == {"n1": "First."}
    assert len(notes) == 1 and "was changed outside this editor and cannot be read" in notes[0]
    assert "replaced by your work" in notes[0]


# -- opening work and handing it in ----------------------------------------------------------------------
def test_a_students_file_opened_with_another_save_to_saves_there(course: Path):
    base, own = overlay.open_work(course, None, "sam")
    overlay.save_overlay(base.add(_claim("n1", "First.")), own)
    m, target = overlay.open_work(own, "work/copy.yaml", "sam")
    assert target == Path("work/copy.yaml") and Path(m.path) == target and m.node("n1").text == "First."


def test_work_on_a_map_made_in_code_is_not_restored_from_a_file_of_another_map(course: Path):
    tea = argkit.parse_map("title: Tea\nnodes:\n- id: t\n  text: Tea is good.\n")
    coffee = argkit.parse_map("title: Coffee\nnodes:\n- id: c\n  text: Coffee is good.\n")
    argkit.save(coffee, "work/mine.yaml")
    with pytest.raises(argkit.WorkFileError, match="is not work on the map 'Tea'; choose another file"):
        overlay.open_work(tea, "work/mine.yaml", "sam")
    m, _ = overlay.open_work(tea, "work/new.yaml", "sam")
    overlay.save_overlay(m.add(_claim("n1", "Warm.")), "work/new.yaml")
    again, _ = overlay.open_work(tea, "work/new.yaml", "sam")  # restored: the same map plus the claim
    assert again.node("n1").text == "Warm." and again.base is tea


def test_hand_in_of_a_map_that_is_no_work_on_a_course_map_is_refused(tmp_path: Path):
    m = argkit.parse_map("title: T\nnodes:\n- id: t\n  text: T.\n")
    with pytest.raises(argkit.WorkFileError, match="not work on a course map"):
        overlay.hand_in(m, "sam", tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_names_without_latin_letters_and_a_broken_file_never_overwrite_a_hand_in(course: Path, tmp_path: Path):
    box = tmp_path / "box"
    box.mkdir()
    (box / "tea-student.yaml").write_text("title: [a broken file someone left\n", encoding="utf-8")
    base, _ = overlay.open_work(course, None, "sam")
    wang = overlay.hand_in(base.add(_claim("n1", "Wang's claim.", by="王芳")), "王芳", box)
    li = overlay.hand_in(base.add(_claim("n1", "Li's claim.", by="李娜")), "李娜", box)
    assert (wang.name, li.name) == ("tea-student-2.yaml", "tea-student-3.yaml")
    assert (box / "tea-student.yaml").read_text(encoding="utf-8") == "title: [a broken file someone left\n"
    assert [n.text for n in argkit.load(wang).own_nodes()] == ["Wang's claim."]
    assert [n.text for n in argkit.load(li).own_nodes()] == ["Li's claim."]
