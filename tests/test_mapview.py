"""The navigable map view without a browser: focus, breadcrumb, fold, caching (mapview.js is in test_browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

import argkit
from argkit import render
from argkit.model import ArgumentMap, Node


def _ids(svg: str) -> set[str]:
    import re

    return set(re.findall(r'id="argkit&#45;node&#45;([A-Za-z0-9_]+)"', svg))


@pytest.fixture
def m() -> ArgumentMap:
    return ArgumentMap(title="Tea", nodes=(
        Node("t", "Tea is good."),
        Node("r", "It is tasty.", parent="t", stance="pro"),
        Node("o", "It stains teeth.", parent="t", stance="con"),
        Node("b", "Brushing helps.", parent="o", stance="con"),
        Node("x", "Not every stain.", parent="b", stance="con"),
        Node("y", "Whitening works.", parent="x", stance="con"),
    ))


def test_view_opens_on_the_whole_map(m: ArgumentMap):
    v = argkit.view(m)
    assert _ids(v.svg) == {"t", "r", "o", "b", "x", "y"}
    assert v.crumbs == [{"id": "", "label": "Tea"}] and v.focus == "" and v.title == "Tea"
    assert repr(v) == "MapView('Tea', focus='', selected='')"


def test_focus_shows_parent_claim_and_children_with_grandchildren_folded(m: ArgumentMap):
    v = argkit.view(m)
    v.focus = "b"
    assert _ids(v.svg) == {"o", "b", "x"}  # not t, not r (a sibling of o), not y (folded)
    assert 'id="argkit&#45;more&#45;x"' in v.svg and "+1 more" in v.svg
    assert [c["id"] for c in v.crumbs] == ["", "t", "o", "b"]
    assert [c["label"] for c in v.crumbs][1:] == ["contention t", "objection o", "rebuttal b"]
    # kinds come from the whole map: b is still a rebuttal although its grandparent is not drawn
    assert "REBUTTAL" in v.svg
    v.focus = ""  # the breadcrumb's first item
    assert len(_ids(v.svg)) == 6
    with pytest.raises(KeyError):
        v.focus_on("zz")


def test_fold_a_branch_and_open_it_again(m: ArgumentMap):
    v = argkit.view(m)
    v.toggle_fold("o")
    assert _ids(v.svg) == {"t", "r", "o"} and "+3 more" in v.svg
    v.toggle_fold("o")
    assert len(_ids(v.svg)) == 6 and v.fold == []


def test_a_change_under_a_fold_or_out_of_focus_is_drawn(m: ArgumentMap):
    v = argkit.view(m)
    v.fold = ["o"]
    m2 = m.add(Node("z", "Milk helps.", parent="b", stance="con", added_by="ana"))
    v.show(m2, changed="z")
    assert "z" in _ids(v.svg) and v.fold == [] and v.changed == "z" and v.changed_count == 1
    v.focus = "o"
    m3 = m2.add(Node("w", "Not always.", parent="z", stance="con", added_by="ana"))
    v.show(m3, changed="w")  # a great-grandchild of o: the focus moves to its parent
    assert v.focus == "z" and {"b", "z", "w"} <= _ids(v.svg)


def test_a_view_drawn_before_is_not_laid_out_again(m: ArgumentMap, monkeypatch: pytest.MonkeyPatch):
    v = argkit.view(m)
    v.focus = "o"
    v.focus = ""

    def no_render(*a: object, **k: object) -> str:
        raise AssertionError("a view drawn before must come from render's cache")

    monkeypatch.setattr(render, "render_dot", no_render)
    v.focus = "o"
    v.focus = ""


def test_labelling_is_drawn(m: ArgumentMap):
    lab = argkit.evaluate(m)
    v = argkit.view(m, lab)
    assert "argkit&#45;out" in v.svg and "✘ OUT" in v.svg


def test_lean_svg_is_the_same_picture_in_fewer_bytes():
    import xml.etree.ElementTree as ET

    from argkit.mapview import lean_svg

    m = argkit.load(Path(__file__).resolve().parent.parent / "argmaps" / "cox-thesis.yaml")
    full = render.to_svg(m)
    lean = lean_svg(full)
    assert len(lean) < 0.8 * len(full) and lean_svg(lean) == lean
    ns = "{http://www.w3.org/2000/svg}"

    def shapes(svg: str) -> list[tuple[str, str]]:
        root = ET.fromstring(svg)
        return [(el.tag, (el.text or "") + el.get("d", "") + el.get("points", "")) for el in root.iter()
                if el.tag in (f"{ns}path", f"{ns}polygon", f"{ns}text", f"{ns}g")]

    assert shapes(lean) == shapes(full)  # every box, line, arrow and word, in the same order
    titles = ET.fromstring(lean).iter(f"{ns}title")
    assert sum(1 for _ in titles) == len(m.nodes)  # the boxes' own tooltips stay


def test_the_map_is_the_whole_map_whatever_part_is_drawn(m: ArgumentMap):
    from argkit.mapview import MapView

    empty = MapView()
    assert empty.map is None and empty.svg == ""
    empty.focus = "t"  # nothing to draw yet: no error, nothing drawn
    assert empty.svg == "" and empty.crumbs == []
    v = argkit.view(m)
    v.focus_on("b")
    assert v.focus == "b" and v.map is m and _ids(v.svg) == {"o", "b", "x"}
    v.focus_on("")
    assert v.focus == "" and len(_ids(v.svg)) == 6


def test_a_focus_on_a_claim_that_is_gone_shows_the_whole_map(m: ArgumentMap):
    # The browser can send a claim the kernel no longer has (a click just before an undo).
    v = argkit.view(m)
    v.focus = "zz"
    assert v.focus == "" and len(_ids(v.svg)) == 6 and [c["id"] for c in v.crumbs] == [""]
