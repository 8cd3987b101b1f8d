"""The class map on a projector-sized page: real JupyterLab in headless Chromium, a hand-in arrives live.

A fresh JupyterLab (free port on 127.0.0.1, its own config/data/runtime folders) opens a small
notebook that shows ``argkit.class_map`` on a hand-in folder. The test then hands in a new file
from outside, as a student's server would, and the claim must appear on the page within 5 s with
no click (the page asks the kernel to look at the folder). Skips without /usr/bin/chromium, unless
ARGKIT_REQUIRE_BROWSER=1.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from test_browser import (  # the same browser, server and notebook helpers as the editor's test
    ARTIFACTS,
    _browser_or_skip,
    chromium_page,
    open_notebook,
    run_cells,
    serve,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "class-map.ipynb"
CODE = ('import argkit\n'
        'cm = argkit.class_map("../handins", "../argmaps/cox-thesis.yaml", interval=1)\n'
        'cm')

pytestmark = pytest.mark.browser


def _hand_in(folder: Path, student: str, claims: list[tuple[str, str, str]]) -> None:
    lines = ["argkit: 1", f"title: {student}", "extends: ../argmaps/cox-thesis.yaml", "nodes:"]
    for i, parent, text in claims:
        lines += [f"- id: {i}", f"  parent: {parent}", "  stance: con", f"  added_by: {student}",
                  f"  text: {text}"]
    tmp = folder / f".{student}.tmp"
    tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    os.replace(tmp, folder / f"cox-thesis-{student}.yaml")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    _browser_or_skip()
    with serve(tmp_path_factory.mktemp("classmap-lab"), ()) as (url, token, root):
        (root / "handins").mkdir()
        nb = {"cells": [{"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {},
                         "outputs": [], "source": CODE}],
              "metadata": {"kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}},
              "nbformat": 4, "nbformat_minor": 5}
        (root / "notebooks" / NOTEBOOK).write_text(json.dumps(nb), encoding="utf-8")
        yield url, token, root


def test_hand_in_appears_on_the_projector_without_a_click(lab: tuple[str, str, Path]):
    from playwright.sync_api import expect

    url, token, root = lab
    handins = root / "handins"
    _hand_in(handins, "ana", [("ana-1", "cox", "Russia will not stay the junior partner for long."),
                              ("ana-2", "ana-1", "Its economy is a fraction of China's.")])
    (handins / "cox-thesis-eli.yaml").write_text("argkit: 1\nextends: ../argmaps/cox-thesis.yaml\nnodes: [",
                                                 encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page({"width": 1280, "height": 720}) as page:  # the projector
        open_notebook(page, url, token, NOTEBOOK)
        run_cells(page, wait=False)  # the class map keeps asking the kernel: never idle for long
        out = page.locator(".jp-OutputArea-output").filter(has=page.locator(".argkit-mapview"))
        expect(out.locator(".argkit-mapview svg")).to_have_count(1, timeout=60_000)
        assert page.locator(".jp-OutputArea-output", has_text="Error displaying widget").count() == 0
        mine = out.locator("g.node.argkit-student")
        expect(mine).to_have_count(2)
        expect(out).to_contain_text("1 student(s) · 2 claim(s)")
        expect(out.locator("g.node.argkit-student", has_text="added by Student 1")).to_have_count(2)
        expect(out).to_contain_text("1 file(s) not shown")
        assert "ana" not in out.locator(".argkit-mapview").inner_text().lower().split()

        # A student hands in: on the projector within 5 s, nobody clicks anything.
        _hand_in(handins, "ben", [("ben-1", "r_history", "History also holds border wars.")])
        t0 = time.monotonic()
        expect(mine).to_have_count(3, timeout=5_000)
        delay = time.monotonic() - t0
        expect(out.locator("g.node.argkit-student", has_text="added by Student 2")).to_contain_text(
            "border wars")
        expect(out).to_contain_text("2 student(s) · 3 claim(s)")
        page.screenshot(path=str(ARTIFACTS / "browser-classmap.png"))

        # One switch shows the names (on the teacher's own screen).
        out.get_by_role("checkbox", name="Show names").check()
        expect(out.locator("g.node.argkit-student", has_text="added by ben")).to_have_count(1)
        print(f"hand-in shown on the page after {delay:.1f} s")
