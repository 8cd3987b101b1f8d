"""The live class map, driven without a browser: hand-ins appear, names stay private, bad files are listed."""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import argkit
from argkit import classmap
from argkit.errors import ArgkitError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "notebooks" / "class-example"
NAMES = ("Ana", "Ben", "Chloe", "Dev")


@pytest.fixture(autouse=True)
def fail_on_swallowed_callback_errors(caplog: pytest.LogCaptureFixture):
    """ipywidgets' Button.click() and comm handlers log a handler's exception instead of raising it."""
    caplog.set_level(logging.WARNING, logger="traitlets")
    yield
    bad = [r for r in caplog.get_records("call")
           if r.getMessage().startswith(("Exception in callback", "Exception in widget method"))]
    if bad:
        pytest.fail("a widget callback raised (ipywidgets only logged it):\n"
                    + "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in bad))


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A course copy (argmaps/) with an empty hand-in folder beside it; returns the hand-in folder."""
    shutil.copytree(ROOT / "argmaps", tmp_path / "argmaps")
    (tmp_path / "handins").mkdir()
    return tmp_path / "handins"


def hand_in(folder: Path, student: str, claims: list[tuple[str, str, str, str]], *,
            extends: str = "../argmaps/cox-thesis.yaml", name: str | None = None) -> Path:
    """Write a student's overlay: claims are (id, parent, stance, text)."""
    lines = ["argkit: 1", f"title: {student}'s work", f"extends: {extends}", "nodes:"]
    for i, parent, stance, text in claims:
        lines += [f"- id: {i}", f"  parent: {parent}", f"  stance: {stance}", f"  author: {student}",
                  f"  added_by: {student}", f"  text: {text}"]
    path = folder / (name or f"cox-thesis-{student.lower()}.yaml")
    tmp = path.with_name("." + path.name + ".tmp")
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, path)  # as a hand-in does: never half a file in the folder
    return path


def _texts(cm: classmap.ClassMap) -> list[str]:
    return sorted(n.text for n in cm.claims())


# -- merging -------------------------------------------------------------------------------------
def test_example_class_every_claim_once_and_anonymised():
    cm = argkit.class_map(EXAMPLE, interval=0)
    expected = []
    for f in sorted(EXAMPLE.glob("*.yaml")):
        try:
            m = argkit.load(f)
        except argkit.ArgkitError:
            continue
        expected += [n.text for n in m.own_nodes()]
    assert len(expected) == 13
    assert _texts(cm) == sorted(expected)
    assert [h.student for h in cm.handins] == ["ana", "ben", "chloe", "dev"]
    assert {n.added_by for n in cm.claims()} == {"Student 1", "Student 2", "Student 3", "Student 4"}
    assert all(n.author is None for n in cm.claims())
    svg = cm.view.svg
    assert "Student 3" in svg
    for name in NAMES:
        word = re.compile(rf"\b{name}\b", re.IGNORECASE)
        assert not word.search(svg), name
        assert not word.search(" ".join(cm.student._options_labels))  # what the page gets
        assert not word.search(cm.counts.value) and not word.search(cm.status.value)
    # The broken file is listed, without the student's name while anonymised.
    assert len(cm.problems) == 1 and "eli" in cm.problems[0].path
    assert "file 1: the file is not a valid map" in cm.skipped.value and "eli" not in cm.skipped.value
    # Dev's undercut survives the merge, on his renamed claim.
    own_rel = [r for r in cm.merged.relations if r not in cm.course.relations]
    assert [(r.type, cm.owners[r.from_id]) for r in own_rel] == [("undercuts", "dev")]
    assert argkit.validate(cm.merged) == []


def test_names_switch_shows_names_and_original_ids():
    cm = argkit.class_map(EXAMPLE, interval=0)
    cm.names.value = True
    assert {n.added_by for n in cm.claims()} == {"ana", "ben", "chloe", "dev"}
    assert "ana_junior" in cm.merged and "added by ana" in cm.view.svg
    assert "cox-thesis-eli.yaml" in cm.skipped.value and "r_histroy" in cm.skipped.value
    assert [label for label, _ in cm.student.options] == ["everyone", "ana", "ben", "chloe", "dev"]
    cm.names.value = False
    assert "ana_junior" not in cm.merged and "added by ana" not in cm.view.svg


def test_same_ids_from_two_students_do_not_collide(course: Path):
    hand_in(course, "Ana", [("x-1", "cox", "con", "One.")])
    hand_in(course, "Ben", [("x-1", "cox", "con", "Two."), ("x-2", "x-1", "con", "Three.")])
    for names in (False, True):
        cm = argkit.class_map(course, names=names, interval=0)
        assert _texts(cm) == ["One.", "Three.", "Two."]
        three = next(n for n in cm.claims() if n.text == "Three.")
        assert cm.merged.node(three.parent).text == "Two."  # still under Ben's claim, not Ana's
        assert len({n.id for n in cm.merged.nodes}) == len(cm.merged.nodes)


def test_merge_class_pure_function():
    course = argkit.load(ROOT / "argmaps" / "cox-thesis.yaml")
    ana = argkit.load(EXAMPLE / "cox-thesis-ana.yaml")
    merged, owners = classmap.merge_class(course, [("ana", ana)], {"ana": "Student 7"})
    assert set(owners) == {"s7-1", "s7-2", "s7-3"} and set(owners.values()) == {"ana"}
    assert merged.node("s7-2").parent == "s7-1"  # the reason for her own objection
    assert merged.base is course and [n.id for n in merged.own_nodes()] == ["s7-1", "s7-2", "s7-3"]
    assert len(merged.nodes) == len(course.nodes) + 3


# -- live ----------------------------------------------------------------------------------------
def test_new_hand_in_appears_on_poll_and_numbers_stay(course: Path):
    hand_in(course, "Zoe", [("zoe-1", "cox", "con", "A shared enemy is not a shared aim.")])
    cm = argkit.class_map(course, interval=0)
    assert cm.poll() is False  # nothing new: the folder is not read again
    assert [n.added_by for n in cm.claims()] == ["Student 1"]
    svgs: list[str] = []
    cm.view.observe(lambda c: svgs.append(c["new"]), "svg")

    hand_in(course, "Adam", [("adam-1", "r_history", "con", "History also holds border wars.")])
    assert cm.poll() is True
    assert len(svgs) == 1 and "History also holds border wars." in svgs[-1]
    # Zoe was first, so she stays Student 1 although Adam sorts before her.
    assert {n.text: n.added_by for n in cm.claims()} == {
        "A shared enemy is not a shared aim.": "Student 1", "History also holds border wars.": "Student 2"}
    assert "2 student(s) · 2 claim(s)" in cm.status.value

    # A student hands in again (more claims): replaced, not duplicated.
    hand_in(course, "Zoe", [("zoe-1", "cox", "con", "A shared enemy is not a shared aim."),
                            ("zoe-2", "zoe-1", "pro", "Rivals of convenience part when it suits them.")])
    assert cm.poll() is True
    assert len(cm.claims()) == 3 and [h.student for h in cm.handins].count("Zoe") == 1

    # Removed and handed in again: the same number as before.
    (course / "cox-thesis-zoe.yaml").unlink()
    assert cm.poll() is True and len(cm.claims()) == 1
    hand_in(course, "Zoe", [("zoe-1", "cox", "con", "Back again.")])
    cm.poll()
    assert {n.text: n.added_by for n in cm.claims()}["Back again."] == "Student 1"


def test_tick_from_the_page_polls_and_refresh_button_reads(course: Path):
    cm = argkit.class_map(course, "../argmaps/cox-thesis.yaml" if False else course.parent / "argmaps" / "cox-thesis.yaml",
                          interval=0)
    assert cm.merged is not None and cm.claims() == []  # the course map, no hand-ins yet
    assert "0 student(s)" in cm.status.value
    hand_in(course, "Ana", [("ana-1", "cox", "con", "Tick.")])
    cm._ticker._handle_custom_msg({"tick": 1}, [])  # what the browser sends every few seconds
    assert _texts(cm) == ["Tick."]
    hand_in(course, "Ben", [("ben-1", "cox", "con", "Click.")])
    cm.refresh_button.click()
    assert _texts(cm) == ["Click.", "Tick."]


def test_no_course_and_no_hand_ins_yet(course: Path):
    cm = argkit.class_map(course, interval=0)
    assert cm.merged is None and cm.view.svg == "" and "no hand-ins yet" in cm.status.value
    hand_in(course, "Ana", [("ana-1", "cox", "con", "First.")])
    cm.refresh_button.click()
    assert _texts(cm) == ["First."] and cm.course is not None and cm.course.root.id == "cox"


# -- bad files -----------------------------------------------------------------------------------
def test_broken_and_foreign_files_are_listed_never_fatal(course: Path):
    hand_in(course, "Ana", [("ana-1", "cox", "con", "Good.")])
    (course / "garbage.yaml").write_bytes(b"\x00\xff\xfe nodes: [")
    (course / "empty.yaml").write_text("", encoding="utf-8")
    (course / "not-overlay.yaml").write_text("title: T\nnodes:\n- id: a\n  text: A.\n", encoding="utf-8")
    hand_in(course, "Ben", [("ben-1", "rb_radchenko", "con", "Other map.")],
            extends="../argmaps/radchenko.yaml", name="radchenko-ben.yaml")
    hand_in(course, "Cy", [("cy-1", "nowhere", "con", "Bad parent.")])
    (course / "dir.yaml").mkdir()  # not a file: ignored
    (course / "notes.txt").write_text("not a map", encoding="utf-8")
    cm = argkit.class_map(course, interval=0)
    assert _texts(cm) == ["Good."]
    codes = sorted(Path(d.path).name for d in cm.problems)
    assert codes == ["cox-thesis-cy.yaml", "empty.yaml", "garbage.yaml", "not-overlay.yaml",
                     "radchenko-ben.yaml"]
    other = next(d for d in cm.problems if d.path.endswith("radchenko-ben.yaml"))
    assert "answers another map (radchenko.yaml)" in other.message
    assert "5 file(s) not shown" in cm.skipped.value
    # A fixed file is picked up at the next look.
    hand_in(course, "Cy", [("cy-1", "cox", "con", "Fixed parent.")])
    assert cm.poll() and _texts(cm) == ["Fixed parent.", "Good."] and len(cm.problems) == 4


def test_hand_ins_in_one_folder_per_student(course: Path):
    """On Kubernetes each student writes to their own folder; the teacher sees them all."""
    for who in ("Ana", "Ben"):
        (course / who.lower()).mkdir()
        hand_in(course / who.lower(), who, [(f"{who.lower()}-1", "cox", "con", f"{who}'s point.")],
                extends="../../argmaps/cox-thesis.yaml")
    (course / "ana" / "deeper").mkdir()
    hand_in(course / "ana" / "deeper", "Cy", [("cy-1", "cox", "con", "Too deep to count.")],
            extends="../../../argmaps/cox-thesis.yaml")
    cm = argkit.class_map(course, interval=0)
    assert _texts(cm) == ["Ana's point.", "Ben's point."]


def test_missing_folder_and_unset_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, course: Path):
    monkeypatch.delenv(classmap.HANDIN_ENV, raising=False)
    with pytest.raises(ArgkitError, match="ARGKIT_HANDIN"):
        argkit.class_map()
    with pytest.raises(FileNotFoundError):
        argkit.class_map(tmp_path / "nope")
    hand_in(course, "Ana", [("ana-1", "cox", "con", "From the env.")])
    monkeypatch.setenv(classmap.HANDIN_ENV, str(course))
    assert _texts(argkit.class_map(interval=0)) == ["From the env."]


# -- filters, counts, what-if ----------------------------------------------------------------------
def test_filters_by_student_kind_and_target():
    cm = argkit.class_map(EXAMPLE, interval=0)
    all_svg = cm.view.svg
    cm.student.value = "ben"
    shown = cm._shown()
    assert {cm.owners[n.id] for n in shown.nodes if n.id in cm.owners} == {"ben"}
    assert "(showing 3)" in cm.status.value
    cm.student.value = ""
    cm.kind.value = "rebuttal"
    shown = cm._shown()
    kinds = {shown.kind(n.id) for n in shown.nodes if n.id in cm.owners}
    assert "rebuttal" in kinds and "reason" not in kinds  # rebuttals, with the objections they answer
    cm.kind.value = ""
    cm.target.value = "r_stands_by"
    svg = cm.view.svg
    assert svg != all_svg
    assert "stood by Russia" in svg and "Belt and Road" not in svg
    # A click on a course claim shows what the class said to it.
    cm.view.selected = "r_multipolar"
    assert cm.target.value == "r_multipolar"
    assert "(1)" in dict((v, k) for k, v in cm.target.options)["r_multipolar"]


def test_projector_shows_what_the_class_answered_unless_whole_map():
    cm = argkit.class_map(EXAMPLE, interval=0)
    course = cm.course
    answered = {cm.merged.node(i).parent for i in cm.owners} - set(cm.owners)
    quiet = next(n for n in course.nodes if n.id not in answered and n.parent is not None)
    node_id = f'id="argkit&#45;node&#45;{quiet.id.replace("-", "&#45;")}"'
    assert node_id not in cm.view.svg
    assert all(f'argkit&#45;node&#45;{t}"' in cm.view.svg for t in answered)
    cm.whole.value = True
    assert node_id in cm.view.svg
    cm.whole.value = False
    cm.target.value = quiet.id  # nobody answered it: it is drawn all the same
    assert node_id in cm.view.svg


def test_counts_of_who_argued_where():
    cm = argkit.class_map(EXAMPLE, interval=0)
    html = cm.counts.value
    # 7 claims on Cox's thesis (their own replies to their objections included), by 4 students.
    assert "<b>cox</b>" in html
    row = html.split("<b>cox</b>")[1].split("</tr>")[0]
    assert ">7</td>" in row and ">4</td>" in row
    assert html.count("<tr><td>Student ") == 4


def test_what_survives_labels_and_what_if():
    cm = argkit.class_map(EXAMPLE, interval=0)
    assert "✘ OUT" not in cm.view.svg
    cm.labels.value = True
    assert "✘ OUT" in cm.view.svg and "✔ IN" in cm.view.svg
    w = cm.what_if()
    assert w.map is cm.merged
    w.reject("s1-1")
    assert w.labelling.labels["s1-1"] == "OUT"


def test_import_argkit_does_not_load_the_class_map():
    code = "import sys, argkit; print('argkit.classmap' in sys.modules, 'ipywidgets' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_a_hand_in_is_the_student_its_file_name_says_not_whoever_its_claims_name(course: Path):
    """cox-thesis-zoe.yaml whose claims say Adam added them is Zoe's hand-in (issue 16)."""
    hand_in(course, "Adam", [("x-1", "cox", "con", "Not mine.")], name="cox-thesis-zoe.yaml")
    hand_in(course, "Adam", [("adam-1", "cox", "con", "Mine.")])
    _, handins, _ = classmap.read_handins(course)
    assert sorted(h.student for h in handins) == ["Adam", "zoe"]


def test_a_fifo_or_a_dangling_link_in_the_hand_in_folder_is_listed_not_skipped(course: Path, bounded):
    hand_in(course, "Adam", [("adam-1", "cox", "con", "Mine.")])
    os.mkfifo(course / "cox-thesis-pipe.yaml")
    (course / "cox-thesis-gone.yaml").symlink_to(course / "nowhere.yaml")
    _, handins, problems = bounded(lambda: classmap.read_handins(course))
    assert [h.student for h in handins] == ["Adam"]
    assert sorted(Path(d.path).name for d in problems) == ["cox-thesis-gone.yaml", "cox-thesis-pipe.yaml"]


def test_hand_ins_on_each_students_own_copy_of_the_course_read_the_course_once(tmp_path: Path,
                                                                              monkeypatch: pytest.MonkeyPatch):
    # On a hub every student extends the course map in their own home: the class map reads the
    # course map once for the whole class, not once per student (16 hand-ins took 0.6 CPU-s).
    handins = tmp_path / "handins"
    handins.mkdir()
    for who in ("ana", "ben", "chloe"):
        home = tmp_path / "homes" / who
        shutil.copytree(ROOT / "argmaps", home / "argmaps")
        ed = argkit.edit(home / "argmaps" / "cox-thesis.yaml", author=who,
                         save_to=home / "work" / "cox-thesis.yaml")
        ed.select("cox")
        ed.text.value = f"{who.title()} objects."
        ed.add()
        ed.hand_in(handins)
    ben = tmp_path / "homes" / "ben" / "argmaps" / "cox-thesis.yaml"
    found = []
    real = classmap.find_base
    monkeypatch.setattr(classmap, "find_base", lambda own, path: found.append(path.name) or real(own, path))
    cm = argkit.class_map(handins, interval=0)
    assert _texts(cm) == ["Ana objects.", "Ben objects.", "Chloe objects."]
    assert len(found) == 1  # the first file's course map serves the other two
    hand_in(handins, "Dev", [("d1", "cox", "con", "Dev objects.")],
            extends=os.path.relpath(ben, handins))  # no fingerprint: looked for, never assumed
    cm.poll()
    assert len(found) == 2 and "Dev objects." in _texts(cm)


def test_merge_class_keeps_every_students_sources_apart():
    from argkit.model import ArgumentMap, Node, Quote, Relation, Source

    cox = Source("cox", author="Michael Cox", year=2022)
    course = ArgumentMap(title="Tea", nodes=(Node("t", "Tea is good."), Node("c", "It stains.", parent="t", stance="con")),
                         relations=(Relation("c", "attacks", "t"),), sources=(cox,))

    def work(*nodes: Node, sources: tuple[Source, ...] = (), relations: tuple[Relation, ...] = ()) -> ArgumentMap:
        return ArgumentMap(title="Tea", nodes=(*course.nodes, *nodes), sources=(cox, *sources),
                           relations=(*course.relations, *relations))

    kupchan = Source("kup", author="Charles Kupchan", year=2021)
    ana = work(Node("a", "Allies drift.", parent="t", stance="con", source="kup",
                    quote=Quote("drift apart", source="kup")), sources=(kupchan,),
               relations=(Relation("a", "attacks", "c"), Relation("c", "attacks", "t")))
    ben = work(Node("a", "Not this pair.", parent="t", stance="pro", source="kup"),
               Node("g", "A claim on another version of the map.", parent="gone", stance="pro"),
               Node("h", "Under that claim.", parent="g", stance="pro"),
               sources=(Source("kup", author="Someone Else", year=1999),),
               relations=(Relation("h", "attacks", "t"),))
    chloe = work(Node("k", "Same book.", parent="c", stance="con", source="kup"), sources=(kupchan,))
    dev = ArgumentMap(title="Tea", nodes=(*course.nodes, Node("d", "Older Cox.", parent="c", stance="pro", source="cox")),
                      sources=(Source("cox", author="Michael Cox", year=2016),), relations=course.relations)

    merged, owners = classmap.merge_class(course, [("ana", ana), ("ben", ben), ("chloe", chloe), ("dev", dev)],
                                          {"ana": "Student 1", "ben": "Student 2", "chloe": "Student 3",
                                           "dev": "Student 4"})
    assert [s.id for s in merged.sources] == ["cox", "kup", "kup-2", "cox-2"]
    assert merged.source("kup-2").author == "Someone Else" and merged.source("cox-2").year == 2016
    assert merged.node("s1-1").source == "kup" and merged.node("s1-1").quote.source == "kup"
    assert merged.node("s2-1").source == "kup-2"  # Ben's "kup" is another book
    assert merged.node("s3-1").source == "kup"  # Chloe's is Ana's: listed once
    assert merged.node("s4-1").source == "cox-2"  # not the course's Cox 2022
    # Ben's claim on a claim this course map does not have, and the claim under it, are left out
    assert set(owners) == {"s1-1", "s2-1", "s3-1", "s4-1"}
    assert "Under that claim." not in {n.text for n in merged.nodes}
    # the course's relation once; Ana's own added; none to a claim left out
    assert merged.relations == (Relation("c", "attacks", "t"), Relation("s1-1", "attacks", "c"))


def test_a_broken_hand_in_says_what_to_fix_and_hidden_files_are_not_hand_ins(course: Path):
    hand_in(course, "Ana", [("ana-1", "cox", "con", "Good.")])
    # A zip made on a Mac carries a "._" file beside each file: not a hand-in, not a broken one.
    (course / "._cox-thesis-ana.yaml").write_bytes(b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X")
    hand_in(course, "Ben", [("ben-1", "nowhere", "con", "One."), ("ben-2", "nor_here", "con", "Two.")])
    hand_in(course, "Cy", [("cy-1", "cox", "con", "Lost course.")], extends="../elsewhere/cox-thesis-v0.yaml")
    cm = argkit.class_map(course, interval=0)
    assert _texts(cm) == ["Good."]
    by_file = {Path(d.path).name: d for d in cm.problems}
    assert sorted(by_file) == ["cox-thesis-ben.yaml", "cox-thesis-cy.yaml"]
    ben = by_file["cox-thesis-ben.yaml"]
    assert "nowhere" in ben.message
    assert ben.message.endswith(f"(and 1 more problem(s): run 'argkit validate {course / 'cox-thesis-ben.yaml'}')")
    cy = by_file["cox-thesis-cy.yaml"]
    assert (cy.code, cy.line) == ("extends-missing", 3)
    assert "names a map that is not here (../elsewhere/cox-thesis-v0.yaml)" in cy.message and "course=" in cy.fix
