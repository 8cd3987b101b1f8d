"""The live editor, driven without a browser: set ``.value``, call ``.click()``, read the files."""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import pytest

import argkit
from argkit import editor
from argkit.errors import ArgkitError, ReferenceMapError
from argkit.validate import MAX_TEXT

REFERENCE = """\
argkit: 1
title: Tea
reference: true
sources:
- id: blog
  author: A. Writer
  year: 2020
nodes:
- id: t
  text: Tea is good.
- id: r
  parent: t
  stance: pro
  text: It is tasty.
- id: o
  parent: t
  stance: con
  text: It stains teeth.
"""


def _swallowed(records: list[logging.LogRecord]) -> list[logging.LogRecord]:
    return [r for r in records
            if r.getMessage().startswith(("Exception in callback", "Exception in widget method"))]


@pytest.fixture(autouse=True)
def fail_on_swallowed_callback_errors(caplog: pytest.LogCaptureFixture):
    """ipywidgets' Button.click() logs a handler's exception instead of raising it: fail on it."""
    caplog.set_level(logging.WARNING, logger="traitlets")
    yield
    bad = _swallowed(caplog.get_records("call"))
    if bad:
        pytest.fail("a widget callback raised (ipywidgets only logged it):\n"
                    + "\n".join(f"{r.getMessage()}\n{r.exc_text or ''}" for r in bad))


@pytest.fixture
def course(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course folder with a reference map in argmaps/, and the cwd set to it (work/ goes there)."""
    (tmp_path / "argmaps").mkdir()
    ref = tmp_path / "argmaps" / "tea.yaml"
    ref.write_text(REFERENCE, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("JUPYTERHUB_USER", raising=False)
    return ref


def _type_and_add(ed: editor.Editor, target: str, text: str, stance: str = "con") -> str:
    ed.view.selected = target  # what a click on the box does
    ed.action.value = stance
    ed.text.value = text
    before = set(n.id for n in ed.map.nodes)
    ed.add_button.click()
    (new,) = {n.id for n in ed.map.nodes} - before
    return new


def test_fixture_catches_swallowed_errors(caplog: pytest.LogCaptureFixture):
    import ipywidgets

    b = ipywidgets.Button()
    b.on_click(lambda _: 1 / 0)
    b.click()  # does not raise: ipywidgets logs it
    assert _swallowed(caplog.get_records("call"))
    caplog.clear()


def test_click_objection_add_redraws_and_autosaves(course: Path):
    ed = argkit.edit(course, author="Ana")
    assert ed.save_to == Path("work/tea-ana.yaml")
    assert not ed.save_to.exists()  # nothing written before the first change
    svgs: list[str] = []
    ed.view.observe(lambda c: svgs.append(c["new"]), "svg")

    new = _type_and_add(ed, "r", "Tea costs too much.")

    assert ed.target.value == "r"
    node = ed.map.node(new)
    assert (node.parent, node.stance, node.added_by, node.text) == ("r", "con", "Ana", "Tea costs too much.")
    assert ed.map.kind(new) == "objection"
    assert re.fullmatch(r"ana-\d+", new)
    assert len(svgs) == 1 and f'id="argkit&#45;node&#45;{new.replace("-", "&#45;")}"' in svgs[0]
    assert "argkit&#45;student" in svgs[0]
    assert "Added your objection" in ed.message.value
    assert ed.text.value == ""  # ready for the next claim
    saved = ed.save_to.read_text(encoding="utf-8")
    assert "extends: ../argmaps/tea.yaml" in saved
    assert "Tea costs too much." in saved and "It is tasty." not in saved  # only the student's claims
    reopened = argkit.load(ed.save_to)
    assert [n.id for n in reopened.own_nodes()] == [new]
    assert "Added your objection" in ed.output.outputs[-1]["text"]


def test_the_log_is_one_stream_in_order(course: Path):
    """Every change is logged, oldest first, in one stdout stream (the browser redraws each output
    of the log on every change: one per line made each Add slower than the last)."""
    ed = argkit.edit(course, author="Ana")
    first = _type_and_add(ed, "r", "Tea costs too much.")
    ed.undo()
    ed.redo()
    second = _type_and_add(ed, first, "Not if you buy it loose.")
    assert len(ed.output.outputs) == 1
    out = ed.output.outputs[0]
    assert (out["output_type"], out["name"]) == ("stream", "stdout")
    lines = out["text"].splitlines()
    assert [line.split(" ")[0] for line in lines[-4:]] == ["Added", "Undone.", "Redone.", "Added"]
    assert first in lines[-4] and second in lines[-1]


def test_a_pause_in_typing_lays_the_map_out_before_add(course: Path, monkeypatch: pytest.MonkeyPatch):
    """When the typing pauses the map with the typed claim is laid out, so the click on Add costs
    no layout and shows the same drawing as one made from scratch; a form changed after the pause
    is laid out again at the click."""
    import asyncio

    from argkit import mapview, render

    render.clear_cache()
    layouts: list[str] = []
    real = render.render_dot
    monkeypatch.setattr(render, "render_dot", lambda dot, engine=None: layouts.append(dot) or real(dot, engine))
    ed = argkit.edit(course, author="Ana")
    svgs: list[str] = []
    ed.view.observe(lambda c: svgs.append(c["new"]), "svg")
    before = len(layouts)

    async def type_then_pause(text: str) -> None:
        ed.view.selected = "r"
        ed.action.value = "con"
        ed.text.value = text
        await asyncio.sleep(editor._PREPARE_AFTER + 0.3)

    asyncio.run(type_then_pause("Tea costs too much."))
    assert len(layouts) == before + 1 and "Tea costs too much." in layouts[-1]  # laid out in the pause
    assert svgs == []  # nothing shown yet
    new = ed.add()
    assert new is not None and len(layouts) == before + 1  # the click found the drawing ready
    render.clear_cache()
    assert svgs == [mapview.lean_svg(render.to_svg(ed.map))]  # the drawing of the map as it is

    asyncio.run(type_then_pause("It is cheap."))
    ed.text.value = "It is cheap in bulk."  # changed after the pause: that drawing is not used
    second = ed.add()
    assert second is not None and ed.map.node(second).text == "It is cheap in bulk."
    assert "It is cheap in bulk." in svgs[-1] and "It is cheap." not in svgs[-1]


def test_actions_offered_by_kind(course: Path):
    ed = argkit.edit(course, author="ana")
    assert ed.action.disabled and ed.add_button.disabled
    ed.view.selected = "o"
    assert dict(ed.action.options) == {"a rebuttal of it": "con", "a reason for it": "pro",
                                       "an undercut of its step": "undercut"}
    reb = _type_and_add(ed, "o", "Brushing removes stains.", "con")
    assert ed.map.kind(reb) == "rebuttal"
    ed.view.selected = "t"
    assert dict(ed.action.options) == {"an objection to it": "con", "a reason for it": "pro"}
    why = _type_and_add(ed, "t", "It calms the mind.", "pro")
    assert ed.map.kind(why) == "reason"
    # an objection to the student's rebuttal is again an objection
    obj = _type_and_add(ed, reb, "Not all stains.", "con")
    assert ed.map.kind(obj) == "objection"


def test_dropdown_and_map_click_stay_in_sync(course: Path):
    ed = argkit.edit(course, author="ana")
    ed.target.value = "o"  # keyboard users
    assert ed.view.selected == "o"
    ed.view.selected = "r"  # a click in the map
    assert ed.target.value == "r"
    assert "Selected reason r" in ed.message.value
    ed.view.selected = "gone"  # a click on a box of a stale drawing
    assert ed.target.value == "r" and ed.view.selected == "r"
    assert "no claim 'gone'" in ed.message.value


def test_feedback_instead_of_exceptions(course: Path):
    ed = argkit.edit(course, author="ana")
    assert "Click a box" in ed.message.value
    ed.text.value = "An objection without a target."
    assert ed.add_button.disabled
    assert ed.add() is None
    assert "Select a claim first" in ed.message.value

    ed.view.selected = "t"
    ed.text.value = "   "
    assert ed.add_button.disabled
    assert ed.add() is None
    assert "Type your claim" in ed.message.value

    ed.text.value = "x" * (MAX_TEXT + 5)
    assert ed.add_button.disabled
    assert "5 characters too long" in ed.message.value
    assert ed.add() is None

    ed.text.value = "Fine now."
    assert not ed.add_button.disabled
    assert ed.message.value == ""
    assert not ed.save_to.exists() and len(ed.map) == 3  # nothing was added or written on the way


def test_reference_nodes_are_read_only(course: Path):
    ed = argkit.edit(course, author="ana")
    ed.view.selected = "r"
    assert "read-only" in ed.message.value
    ed.text.value = "Changed by a student."
    assert ed.update_button.disabled and ed.delete_button.disabled
    assert ed.update() is False
    assert "cannot be changed" in ed.message.value
    assert ed.delete() is False
    assert "cannot be deleted" in ed.message.value
    assert ed.map.node("r").text == "It is tasty."
    assert not ed.save_to.exists()


def test_edit_delete_undo_redo(course: Path):
    ed = argkit.edit(course, author="ana")
    assert ed.undo_button.disabled and ed.redo_button.disabled
    a = _type_and_add(ed, "t", "Tea is expensive.")
    b = _type_and_add(ed, a, "Supermarket tea is cheap.")

    ed.view.selected = "t"
    ed.view.selected = a  # own claim: its text is offered for editing
    assert ed.text.value == "Tea is expensive."
    assert not ed.update_button.disabled and not ed.delete_button.disabled
    ed.text.value = "Good tea is expensive."
    ed.update_button.click()
    assert ed.map.node(a).text == "Good tea is expensive."
    assert ed.map.node(a).added_by == "ana"
    assert "Good tea is expensive." in ed.save_to.read_text(encoding="utf-8")

    ed.view.selected = a
    ed.delete_button.click()
    assert a not in ed.map and b not in ed.map
    assert "and 1 claim(s) under it" in ed.message.value
    assert ed.target.value == ""
    assert argkit.load(ed.save_to).own_nodes() == ()

    ed.undo_button.click()
    assert ed.map.node(a).text == "Good tea is expensive." and b in ed.map
    ed.undo_button.click()
    assert ed.map.node(a).text == "Tea is expensive."
    assert "Tea is expensive." in ed.save_to.read_text(encoding="utf-8")  # autosave follows undo
    assert not ed.redo_button.disabled
    ed.redo_button.click()
    assert ed.map.node(a).text == "Good tea is expensive."

    c = _type_and_add(ed, "r", "Not to everyone.")  # a new change drops the redo branch
    assert ed.redo_button.disabled and ed.redo() is False
    assert "Nothing to redo" in ed.message.value
    assert c in ed.map and a in ed.map
    while ed.undo():
        pass
    assert len(ed.map) == 3 and "Nothing to undo" in ed.message.value


def test_typing_never_redraws(course: Path):
    ed = argkit.edit(course, author="ana")
    redraws: list[str] = []
    ed.view.observe(lambda c: redraws.append(c["new"]), "svg")
    ed.view.selected = "t"
    for i in range(1, 30):
        ed.text.value = "Tea is bad"[:i % 10]
        ed.quote.value = "q" * i
    assert redraws == []
    _type_and_add(ed, "t", "Tea is bad.")
    ed.undo()
    assert len(redraws) == 2


def test_session_survives_and_reference_untouched(course: Path):
    before = (course.read_bytes(), course.stat().st_mtime_ns)
    ed = argkit.edit(course, author="ana")
    a = _type_and_add(ed, "o", "Brushing helps.")
    ed.view.selected = "o"
    ed.source.value = "blog"
    ed.quote.value = "brush twice a day"
    b = _type_and_add(ed, "t", "It is cheap.", "pro")
    assert (ed.text.value, ed.source.value, ed.quote.value) == ("", "", "")  # nothing carried over
    ed.view.selected = "t"
    ed.view.selected = b  # the student's own claim comes back into the form as it stands
    assert (ed.text.value, ed.source.value, ed.quote.value) == ("It is cheap.", "blog", "brush twice a day")
    ed.text.value = "It is cheap enough."
    assert ed.update()
    assert ed.map.node(b).source == "blog" and ed.map.node(b).quote.text == "brush twice a day"
    assert (ed.text.value, ed.source.value, ed.quote.value) == ("", "", "")
    ed.view.selected = a
    ed.delete()
    ed.undo()

    again = argkit.edit(course, author="ana")  # a new kernel, same student
    assert [n.id for n in again.map.own_nodes()] == [a, b]
    assert again.map.node(b).source == "blog" and again.map.node(b).quote.text == "brush twice a day"
    assert "Reopened work/tea-ana.yaml: 2 claim(s)" in again.output.outputs[0]["text"]
    assert not again.map.is_own("t") and again.map.is_own(a)
    c = _type_and_add(again, b, "Cheap is not good.")
    assert c not in (a, b)

    from_file = argkit.edit("work/tea-ana.yaml", author="ana")  # opening the student's own file
    assert from_file.save_to == Path("work/tea-ana.yaml")
    assert [n.id for n in from_file.map.own_nodes()] == [a, b, c]
    assert (course.read_bytes(), course.stat().st_mtime_ns) == before
    assert sorted(p.name for p in course.parent.iterdir()) == ["tea.yaml"]


def test_reference_overlay_is_extended_not_edited(course: Path):
    """A course map that itself extends another (debate.yaml extends radchenko.yaml ...)."""
    more = course.parent / "tea-more.yaml"
    more.write_text("title: More tea\nreference: true\nextends: tea.yaml\nnodes:\n"
                    "- id: m\n  parent: o\n  stance: con\n  text: Whitening helps.\n", encoding="utf-8")
    before = more.read_bytes()
    ed = argkit.edit(more, author="ana")
    assert ed.save_to == Path("work/tea-more-ana.yaml")
    assert not any(ed.map.is_own(n) for n in ("t", "o", "m"))
    new = _type_and_add(ed, "m", "Whitening costs money.")
    assert ed.map.kind(new) == "objection"  # con under a rebuttal
    saved = argkit.load(ed.save_to)
    assert [n.id for n in saved.own_nodes()] == [new] and "m" in saved and "t" in saved
    assert "extends: ../argmaps/tea-more.yaml" in ed.save_to.read_text(encoding="utf-8")
    assert more.read_bytes() == before


def test_refuses_to_save_beside_reference(course: Path):
    with pytest.raises(ReferenceMapError, match="the map you are extending"):
        argkit.edit(course, save_to=course, author="ana")
    with pytest.raises(ReferenceMapError, match="holds the reference maps"):
        argkit.edit(course, save_to="argmaps/mine.yaml", author="ana")
    other = course.parent.parent / "other.yaml"
    other.write_text(REFERENCE.replace("title: Tea", "title: Other"), encoding="utf-8")
    with pytest.raises(ReferenceMapError, match="reference material"):
        argkit.edit(course, save_to=other, author="ana")
    Path("work").mkdir()
    Path("work/coffee.yaml").write_text("title: Coffee\nnodes:\n- id: c\n  text: Coffee.\n", encoding="utf-8")
    with pytest.raises(ArgkitError, match="is not an overlay"):
        argkit.edit(course, save_to="work/coffee.yaml", author="ana")
    assert not list(course.parent.glob("*.tmp")) and course.read_text(encoding="utf-8") == REFERENCE


def test_exports(course: Path):
    ed = argkit.edit(course, save_to="work/sub/mine.yaml", author="Ana María")
    new = _type_and_add(ed, "o", "Stains wash out.")
    assert re.fullmatch(r"ana-mar-a-\d+", new)  # a valid id, whatever the name
    ed.svg_button.click()
    svg = Path("work/sub/mine.svg").read_text(encoding="utf-8")
    assert svg.lstrip().startswith("<?xml") and "Stains wash out." in svg
    assert "Exported the map to work/sub/mine.svg" in ed.message.value
    ed.outline_button.click()
    outline = Path("work/sub/mine.txt").read_text(encoding="utf-8")
    assert f"[{new}]: Stains wash out. ✎ added by Ana María" in outline
    png = ed.export_png()
    assert png == Path("work/sub/mine.png")
    assert png.read_bytes() == argkit.to_png(ed.map)  # the student's map, as argkit render draws it
    with pytest.raises(ArgkitError, match=r"writes a \.png file"):
        ed.export_png("work/sub/mine.jpg")
    pdf = ed.export_pdf(paper="a4")
    assert pdf == Path("work/sub/mine.pdf")
    assert pdf.read_bytes() == argkit.to_pdf(ed.map, paper="a4")
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in pdf.read_bytes()  # a small top-down tree: portrait
    with pytest.raises(ArgkitError, match=r"writes a \.pdf file"):
        ed.export_pdf("work/sub/mine.png")
    with pytest.raises(ArgkitError, match="unknown paper 'a5'"):
        ed.export_pdf(paper="a5")
    ed.save_button.click()
    assert "Saved work/sub/mine.yaml" in ed.message.value
    copy = ed.export_yaml("elsewhere/copy.yaml")
    merged = argkit.load(copy)
    assert "extends: ../argmaps/tea.yaml" in copy.read_text(encoding="utf-8")
    assert [n.id for n in merged.own_nodes()] == [new] and len(merged) == 4
    with pytest.raises(ReferenceMapError):
        ed.export_yaml(course)


def test_in_memory_map_saves_whole_map(course: Path):
    m = argkit.parse_map(REFERENCE)
    ed = argkit.edit(m, author="ana")
    assert ed.save_to == Path("work/tea-ana.yaml")
    new = _type_and_add(ed, "t", "Coffee is better.")
    assert not ed.map.is_own("t")
    saved = argkit.load(ed.save_to)
    assert len(saved) == 4 and saved.extends is None and not saved.reference
    again = argkit.edit(m, author="ana")
    assert new in again.map and not again.map.is_own("t") and again.map.is_own(new)


def test_author_defaults_to_hub_user(course: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("JUPYTERHUB_USER", "bo")
    ed = argkit.edit(course)
    assert ed.save_to == Path("work/tea-bo.yaml") and ed.author == "bo"
    assert repr(ed) == "Editor('Tea', save_to='work/tea-bo.yaml', author='bo')"


def test_undercut_doubts_the_step_not_the_claim(course: Path):
    ed = argkit.edit(course, author="ana")
    ed.view.selected = "r"  # a reason: no attack to undercut, so no undercut offered
    assert "undercut" not in dict(ed.action.options).values()
    u = _type_and_add(ed, "o", "Stains are a matter of taste, not of whether tea is good.", "undercut")
    m = ed.map
    assert m.node(u).parent == "t" and m.node(u).stance == "pro"  # it defends t ...
    assert argkit.Relation(u, "undercuts", "o") in m.own_relations()  # ... by cutting o's step
    assert argkit.validate(m) == []
    assert "doubts the step from o to t" in ed.message.value
    assert ed.view.changed == u and 'undercuts the step' in ed.view.svg
    # the objection may stand and still not defeat the contention
    lab = argkit.evaluate(m)
    assert (lab.label("o"), lab.label("t")) == ("IN", "IN")
    reopened = argkit.load(ed.save_to)
    assert [r for r in reopened.relations] == [argkit.Relation(u, "undercuts", "o")]
    assert ed.delete() is False  # o is still selected, and it is the teacher's
    ed.view.selected = u
    assert ed.delete() and ed.map.own_relations() == ()


def test_view_centres_and_focuses_after_add(course: Path):
    ed = argkit.edit(course, author="ana")
    ed.view.focus = "o"  # Focus on the objection: its parent t, itself, its children
    assert [c["id"] for c in ed.view.crumbs] == ["", "t", "o"]
    assert "argkit-node-r" not in ed.view.svg.replace("&#45;", "-")  # siblings are left out
    a = _type_and_add(ed, "o", "Brushing removes stains.", "con")
    assert ed.view.changed == a and ed.view.changed_count == 1
    b = _type_and_add(ed, a, "Not every stain.", "con")  # a grandchild of o: the focus follows
    assert ed.view.focus == a and f"argkit-node-{b}" in ed.view.svg.replace("&#45;", "-")
    ed.undo()
    ed.undo()  # a is gone: the focus goes back to the whole map
    assert ed.view.focus == "" and [c["id"] for c in ed.view.crumbs] == [""]


def test_map_view_ships_offline_code():
    js = (Path(editor.__file__).parent / "mapview.js").read_text(encoding="utf-8")
    assert editor.MapView._esm == js
    code = "\n".join(line for line in js.splitlines() if not line.lstrip().startswith("//"))
    assert not re.search(r"^\s*import\b|\bimport\(|https?://(?!www\.w3\.org/)", code, re.MULTILINE)
    assert "closest(\"g.node\")" in js and "argkit-node-" in js
    view = editor.MapView()
    assert view.selected == "" and view.svg == ""


def test_undo_redo_and_export_reuse_the_drawings_in_renders_cache(course: Path,
                                                                      monkeypatch: pytest.MonkeyPatch):
    ed = argkit.edit(course, author="ana")
    _type_and_add(ed, "t", "One.")
    from argkit import render

    def no_render(*a: object, **k: object) -> str:
        raise AssertionError("undo/redo/export must reuse the drawing of a map already drawn")

    monkeypatch.setattr(render, "render_dot", no_render)
    assert ed.undo() and ed.redo()
    assert os.path.exists(ed.save_to)
    svg = ed.export_svg().read_text(encoding="utf-8")  # the map view drew this map already
    assert svg.startswith("<?xml") and "argkit&#45;node&#45;t" in svg


def test_what_if_reject_and_accept_redraws_with_labels(course: Path):
    m = argkit.load(course).add(argkit.Node("b", "Brushing helps.", parent="o", stance="con"))
    w = argkit.what_if(m)
    redraws: list[str] = []
    w.view.observe(lambda c: redraws.append(c["new"]), "svg")
    assert dict(w.labelling.labels) == {"t": "IN", "r": "IN", "o": "OUT", "b": "IN"}
    first = w.view.svg
    assert "argkit&#45;out" in first and w.choice.disabled

    w.view.selected = "b"  # a click on the rebuttal
    assert w.claim.value == "b" and not w.choice.disabled
    assert "IN because nothing attacks it" in w.why.value
    w.choice.value = "reject"
    assert w.rejected == ("b",) and w.labelling.label("t") == "OUT"
    assert "Changed: t IN → OUT; o OUT → IN; b IN → OUT." in w.summary.value
    assert len(redraws) == 1 and 'argkit&#45;contention argkit&#45;out"' in redraws[-1]

    w.claim.value = "o"  # keyboard: the choice shows this claim's own setting
    assert w.choice.value == ""
    assert w.why.value.startswith("<b>o</b>: IN")
    w.accept("t")
    assert w.accepted == ("t",) and w.labelling.label("t") == "IN"
    w.reset()
    assert w.rejected == w.accepted == () and w.labelling.label("o") == "OUT"
    assert w.view.svg == first  # the drawing of the map as it is, from the cache
    assert repr(w) == "WhatIf('Tea', reject=(), accept=())"
    with pytest.raises(KeyError, match="no node 'zz'"):
        w.reject("zz")


# -- hostile input and faults (issue 16) -----------------------------------------------------------
def test_an_invisible_control_or_bidi_character_is_refused_in_the_form(course):
    ed = argkit.edit(course, author="Sam")
    ed.view.selected = "t"
    ed.text.value = "Tea is \u202egood."
    assert ed.add_button.disabled and ed.add() is None
    assert "U+202E" in ed.message.value and "right-to-left override" in ed.message.value
    ed.text.value = "Tea is good."
    ed.quote.value = "a\x1b[2Jb"
    assert ed.add() is None and "U+001B" in ed.message.value
    ed.quote.value = ""
    assert ed.add() is not None


def test_a_full_or_read_only_disk_is_said_not_silent(course, monkeypatch):
    import errno

    ed = argkit.edit(course, author="Sam")
    _type_and_add(ed, "t", "First claim.")
    saved = ed.save_to.read_text(encoding="utf-8")

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    ed.view.selected = "t"
    ed.text.value = "Second claim."
    ed.add_button.click()
    shown = ed.message.value
    assert "could not be saved" in shown and "No space left on device" in shown
    assert str(ed.save_to.name) in shown and ".tmp" not in shown
    assert ed.save_to.read_text(encoding="utf-8") == saved  # the old file, whole
    assert not list(ed.save_to.parent.glob(".*.tmp"))
    for button in (ed.save_button, ed.svg_button, ed.outline_button):
        ed.message.value = ""
        button.click()
        assert "No space left on device" in ed.message.value and ".tmp" not in ed.message.value


def _downloaded(ed: editor.Editor) -> tuple[str, bytes]:
    """What the Download my work link gives: (file name, bytes)."""
    import base64
    import html as html_mod

    m = re.search(r'download="([^"]*)" href="data:application/x-yaml;base64,([A-Za-z0-9+/=]*)"', ed.download.value)
    assert m, ed.download.value
    assert ">Download my work</a>" in ed.download.value
    return html_mod.unescape(m.group(1)), base64.b64decode(m.group(2))


def test_download_my_work_gives_the_saved_overlay(course: Path):
    ed = argkit.edit(course, author="Ana")
    assert ed.download.value == ""  # nothing saved yet, nothing to download
    new = _type_and_add(ed, "o", "Brushing removes the stains.")
    name, data = _downloaded(ed)
    assert name == "tea-ana.yaml" and data == ed.save_to.read_bytes()
    assert "Brushing removes the stains." in data.decode("utf-8")
    ed.undo()
    assert b"Brushing" not in _downloaded(ed)[1]  # follows every change
    ed.redo()
    # a fresh editor on the same file (reopening the notebook) offers it at once
    again = argkit.edit(course, author="Ana")
    assert _downloaded(again)[1] == ed.save_to.read_bytes()
    assert [n.id for n in argkit.load(ed.save_to).own_nodes()] == [new]


def test_download_link_escapes_the_file_name(course: Path):
    ed = argkit.edit(course, author="Ana", save_to='work/a"><script>x.yaml')
    _type_and_add(ed, "o", "A claim.")
    assert "<script>" not in ed.download.value
    assert _downloaded(ed)[0] == 'a"><script>x.yaml'


def test_saving_works_where_fcntl_has_no_flock(course: Path, monkeypatch: pytest.MonkeyPatch):
    # Pyodide (the browser edition) has an fcntl module without flock.
    import sys
    import types

    monkeypatch.setitem(sys.modules, "fcntl", types.ModuleType("fcntl"))
    ed = argkit.edit(course, author="Ana")
    new = _type_and_add(ed, "o", "Brushing removes the stains.")
    assert [n.id for n in argkit.load(ed.save_to).own_nodes()] == [new]


def test_the_name_box_refuses_no_name_a_file_of_other_work_and_a_second_start(course: Path):
    ed = argkit.edit(course)
    with pytest.raises(ArgkitError, match="type your name and click Start first"):
        ed.save()
    ed.name.value = "!!!"
    ed.start_button.click()
    assert ed.save_to is None and "Type your name (letters or digits) first" in ed.message.value
    Path("work").mkdir()
    Path("work/tea-sam.yaml").write_text("title: Coffee\nnodes:\n- id: c\n  text: Coffee.\n", encoding="utf-8")
    ed.name.value = "Sam"
    ed.start_button.click()
    assert ed.save_to is None and "Cannot open your file: work/tea-sam.yaml already exists" in ed.message.value
    assert Path("work/tea-sam.yaml").read_text(encoding="utf-8").startswith("title: Coffee")  # untouched
    ed.name.value = "Sam Lee"
    ed.start_button.click()
    assert ed.save_to == Path("work/tea-sam-lee.yaml")
    assert ed.start("Ana") is False and "Your file is already open." in ed.message.value
    demo = argkit.edit(course, demo=True)
    assert demo.start("Ana") is False and "demonstration editor: nothing is saved" in demo.message.value


def test_update_without_a_change_and_delete_without_a_selection_say_what_to_do(course: Path):
    ed = argkit.edit(course, author="sam")
    mine = _type_and_add(ed, "t", "Warm.")
    ed.view.selected = mine
    ed.text.value = "Warm."  # as it is
    assert ed.update() is False and "Nothing to change: edit the text first" in ed.message.value
    ed.view.selected = ""
    assert ed.delete() is False and "Select one of your claims first" in ed.message.value
    assert mine in argkit.load(ed.save_to)
