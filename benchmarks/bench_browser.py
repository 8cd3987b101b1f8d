"""Click Add -> the new box painted, in JupyterLab in Chromium, on the whole debate map; and SVG bytes.

Usage: python benchmarks/bench_browser.py [--runs N] [--map debate]

Starts a fresh JupyterLab (as tests/test_browser.py does: a temporary copy of the course, its own
Jupyter folders, Debian's /usr/bin/chromium driven by Playwright), opens an editor on the map, and
for each run chooses another claim, types a fresh objection (so no drawing is cached) and clicks
Add. Timed in the page: from the click to the frame after the new box is in the map view (two
animation frames: the box is painted), and how long the map view took to draw the new SVG. Each
add is undone before the next, so every add is to a map of the same size. The first two runs warm
the kernel and the browser and are not counted.

Also printed: the SVG bytes of each course map as drawn for notebooks and exports, and as the map
view sends it to the browser (lean_svg).
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

MEASURE = """() => new Promise((resolve, reject) => {
  const out = [...document.querySelectorAll('.jp-OutputArea-output')]
      .find(o => o.querySelector('.argkit-mapview') && o.querySelector('textarea'));
  const port = out.querySelector('.argkit-mv-port');
  const view = out.querySelector('.argkit-mapview');
  const before = port.querySelectorAll('g.argkit-student').length;
  const add = [...out.querySelectorAll('button')].find(b => b.textContent.trim() === 'Add');
  const timer = setTimeout(() => reject(new Error('no new box within 10 s')), 10000);
  const t0 = performance.now();
  const seen = new MutationObserver(() => {
    if (port.querySelectorAll('g.argkit-student').length > before) {
      seen.disconnect();
      const drawn = performance.now() - t0;
      requestAnimationFrame(() => requestAnimationFrame(() => {
        clearTimeout(timer);
        resolve({painted: performance.now() - t0, inDom: drawn, draw: parseFloat(view.dataset.drawMs)});
      }));
    }
  });
  seen.observe(port, {childList: true, subtree: true});
  add.click();
})"""


def _pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(q * (len(xs) - 1)))]


def svg_sizes() -> None:
    import argkit
    from argkit.mapview import lean_svg
    from argkit.render import to_svg

    print("SVG bytes per course map (notebook/export SVG -> what the map view sends):")
    for path in sorted((ROOT / "argmaps").glob("*.yaml")):
        m = argkit.load(path)
        if m.base is not None and not m.reference:
            continue
        full = to_svg(m)
        lean = lean_svg(full)
        print(f"  {path.stem:<16} {len(m.nodes):>3} claims  {len(full.encode()):>8,} B -> {len(lean.encode()):>8,} B"
              f"  ({1 - len(lean) / len(full):.0%} less)")


def bench(map_name: str, runs: int) -> None:
    from playwright.sync_api import expect, sync_playwright

    import argkit
    from test_browser import CHROMIUM, CHROMIUM_ARGS, _run_all, serve

    ids = [n.id for n, _ in argkit.load(ROOT / "argmaps" / f"{map_name}.yaml").walk()]  # the list's order
    with tempfile.TemporaryDirectory(prefix="argkit-bench-") as tmp, serve(Path(tmp), []) as (url, token, root):
        nb = nbformat.v4.new_notebook(metadata={"kernelspec": {
            "name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}}, cells=[nbformat.v4.new_code_cell(
            f'import argkit\ned = argkit.edit("../argmaps/{map_name}.yaml", save_to="work/bench.yaml", '
            'author="bench")\ned')])
        nbformat.write(nb, root / "notebooks" / "bench.ipynb")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.set_default_timeout(30_000)
            print("  JupyterLab is up; running the editor cell", flush=True)
            _run_all(page, url, token, "bench.ipynb")
            out = (page.locator(".jp-OutputArea-output").filter(has=page.locator(".argkit-mapview"))
                   .filter(has=page.locator("textarea")))
            claim = out.get_by_label("Claim:")
            add = out.get_by_role("button", name="Add", exact=True)
            undo = out.get_by_role("button", name="Undo", exact=True)
            mine = out.locator("g.node.argkit-student")
            painted, in_dom, draw = [], [], []
            for i in range(runs + 2):
                print(f"  run {i + 1}/{runs + 2}", end="\r", flush=True)
                k = (i * 7) % len(ids)
                target = ids[k]
                claim.select_option(index=k + 1)  # after "— click a box ... —"
                expect(out.locator(f"g.node[id='argkit-node-{target}']")).to_have_class(
                    re.compile(r"\bargkit-selected\b"))
                out.locator("textarea").fill(f"Objection number {i}: the figures do not show what the claim says.")
                expect(add).to_be_enabled()
                t = page.evaluate(MEASURE)
                if i >= 2:
                    painted.append(t["painted"])
                    in_dom.append(t["inDom"])
                    draw.append(t["draw"])
                undo.click()
                expect(mine).to_have_count(0)
            browser.close()
    n = len(painted)
    print(f"{map_name}: {len(ids)} claims, {n} adds in Chromium at 1366x768 (JupyterLab, real kernel)")
    for name, xs in (("click -> new box painted", painted), ("click -> new box in the page", in_dom),
                     ("map view drawing the SVG", draw)):
        print(f"  {name:<30} median {statistics.median(xs):6.1f} ms   p95 {_pct(xs, 0.95):6.1f} ms"
              f"   max {max(xs):6.1f} ms")
    print("  target: p95 <= 100 ms for click -> painted")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--map", default="debate")
    a = ap.parse_args()
    svg_sizes()
    bench(a.map, a.runs)


if __name__ == "__main__":
    main()
