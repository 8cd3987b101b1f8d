"""The course's static maps in a real JupyterLab at 1366x768: seen before anything runs, and readable.

A fresh JupyterLab (empty Jupyter data dir, so every notebook is untrusted, as in a fresh clone)
opens notebooks 00-04, 06 and 07 in headless Chromium. Before running, every committed map must show
(JupyterLab shows no image/svg+xml from an untrusted notebook, but it does show the map's HTML: the
SVG in an <img> with a text alternative); after Run All, no map output may scroll sideways and the
smallest map text must be at least 8 px high on screen. Before and after, every picture in the
notebook (maps and plots) has an alt text, and a map's says what the map argues; after Run All,
axe-core finds no serious or critical problem in any picture's output. Text size is
measured, not assumed: the map's own SVG says its smallest font size and its width in the same
units, the browser says how wide the picture is drawn.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from test_browser import (  # the same browser, server and notebook helpers as the editor's test
    ARTIFACTS,
    _axe,
    _browser_or_skip,
    chromium_page,
    open_notebook,
    run_cells,
    serve,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ("00-start-here.ipynb", "01-cox-thesis.ipynb", "02-the-sceptics.ipynb",
             "03-radchenko-rebuttal.ipynb", "04-what-survives.ipynb", "06-for-teachers.ipynb",
             "07-context.ipynb")
MIN_TEXT_PX = 8.0

pytestmark = pytest.mark.browser


def committed_maps(notebook: str) -> list[dict[str, Any]]:
    """Every map output of a notebook as committed: cell, output, viewBox width, smallest font."""
    nb = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))
    found = []
    for ci, cell in enumerate(nb["cells"]):
        for oi, out in enumerate(cell.get("outputs", [])):
            svg = out.get("data", {}).get("image/svg+xml")
            if svg is None:
                continue
            svg = "".join(svg)
            box = re.search(r'viewBox="[-\d.]+ [-\d.]+ ([\d.]+) [\d.]+"', svg)
            sizes = [float(s) for s in re.findall(r'font-size="([\d.]+)"', svg)]
            assert box and sizes, f"{notebook} cell {ci}: a map without viewBox or text"
            found.append({"cell": ci, "output": oi, "box": float(box[1]), "font": min(sizes),
                          "png": "image/png" in out["data"], "html": "text/html" in out["data"]})
    return found


MEASURE = """maps => {
    const panel = window.jupyterapp.shell.currentWidget;
    return maps.map(m => {
        const widget = panel.content.widgets[m.cell];
        const cell = widget && widget.node;
        const child = cell && cell.querySelectorAll('.jp-OutputArea-child')[m.output];
        const out = child && child.querySelector('.jp-OutputArea-output');
        const img = out && out.querySelector('img');
        if (!img) return {cell: m.cell, shown: 'nothing',
                          text: out ? out.innerText.slice(0, 80) : (cell ? 'no output' : 'no cell')};
        const r = img.getBoundingClientRect();
        const area = panel.content.node.getBoundingClientRect();
        return {
            cell: m.cell,
            alt: img.alt,
            shown: img.src.startsWith('data:image/png') ? 'png' : img.src.startsWith('data:image/svg') ? 'svg' : 'other',
            loaded: img.complete && img.naturalWidth > 0,
            width: r.width,
            text: m.font * r.width / m.box,
            scrolls: out.scrollWidth > out.clientWidth + 1 || child.scrollWidth > child.clientWidth + 1,
            right: r.right <= area.right + 1,
        };
    });
}"""

# every cell rendered (not only those near the screen), so every output can be measured
ALL_CELLS = {("notebook-extension", "tracker"): {"windowingMode": "none"}}


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A fresh JupyterLab (empty data dir: nothing trusted) over a copy of the course."""
    _browser_or_skip()
    with serve(tmp_path_factory.mktemp("maps"), (*NOTEBOOKS, "class-example"), ALL_CELLS) as running:
        yield running


NO_ALT = """() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output img')]
    .filter(i => !(i.getAttribute('alt') || '').trim()).map(i => i.src.slice(0, 40))"""


AXE_OUTPUTS = """async () => {
    const outs = [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output')]
        .filter(o => o.querySelector('.argkit-mapview, img, svg'));
    const bad = [];
    for (const o of outs) {
        for (const v of (await axe.run(o, {resultTypes: ['violations']})).violations) {
            if (v.impact === 'serious' || v.impact === 'critical') {
                bad.push(`${v.id} (${v.impact}) x${v.nodes.length}: ${v.nodes[0].target.join(' ')}`);
            }
        }
    }
    return bad;
}"""


def _problems(measured: list[dict[str, Any]], shown: str) -> list[str]:
    bad = []
    for m in measured:
        where = f"cell {m['cell']}"
        if m["shown"] != shown or not m.get("loaded"):
            bad.append(f"{where}: shows {m['shown']} {m.get('text', '')!r}, not a loaded {shown} map")
        elif not m["alt"].startswith("Argument map") or "claims" not in m["alt"]:
            bad.append(f"{where}: the map's alt text says {m['alt']!r}, not what the map shows")
        elif m["scrolls"] or not m["right"]:
            bad.append(f"{where}: scrolls sideways (drawn {m['width']:.0f} px wide)")
        elif m["text"] < MIN_TEXT_PX:
            bad.append(f"{where}: smallest map text {m['text']:.1f} px (< {MIN_TEXT_PX})")
    return bad


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_maps_show_untrusted_fit_and_read_at_laptop_size(lab: tuple[str, str, Path], notebook: str):
    url, token, _ = lab
    maps = committed_maps(notebook)
    assert maps and all(m["png"] and m["html"] for m in maps), \
        f"{notebook}: a committed map has no HTML and PNG beside its SVG"
    with chromium_page() as page:
        open_notebook(page, url, token, notebook)
        page.wait_for_function(
            "n => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
            " return !!(w && w.content && w.content.widgets.length === n"
            " && w.content.widgets.every(c => c.node.isConnected)"
            " && [...w.node.querySelectorAll('.jp-OutputArea-output img')].every(i => i.complete)); }",
            arg=len(json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]))
        page.wait_for_timeout(500)
        assert "Cannot display an untrusted SVG" not in page.inner_text(".jp-NotebookPanel:not(.lm-mod-hidden)")
        before = page.evaluate(MEASURE, maps)
        bad = _problems(before, "svg")  # the HTML's <img>: the SVG, sanitized but shown
        bad += [f"before running, a picture without alt text: {src}" for src in page.evaluate(NO_ALT)]

        run_cells(page)
        page.wait_for_function(
            "() => [...document.querySelectorAll('.jp-OutputArea-output img')].every(i => i.complete)")
        page.wait_for_timeout(500)
        after = page.evaluate(MEASURE, maps)
        bad += [f"after Run All, {b}" for b in _problems(after, "svg")]
        bad += [f"after Run All, a picture without alt text: {src}" for src in page.evaluate(NO_ALT)]
        _axe(page)
        bad += [f"after Run All, axe-core: {v}" for v in page.evaluate(AXE_OUTPUTS)]
        if bad:
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"maps-{notebook}.png"))
        assert bad == [], f"{notebook}:\n" + "\n".join(bad)
        print(f"{notebook}: {len(maps)} maps; smallest map text {min(m['text'] for m in before):.1f} px "
              f"before running, {min(m['text'] for m in after):.1f} px after Run All")
