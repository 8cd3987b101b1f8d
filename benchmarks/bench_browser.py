"""Click Add -> the new box painted, in JupyterLab in Chromium, on the whole debate map; and SVG bytes.

Usage: python benchmarks/bench_browser.py [--runs N] [--map debate] [--pause S] [--against DIR [--rounds K]]

Starts a fresh JupyterLab (as tests/test_browser.py does: a temporary copy of the course, its own
Jupyter folders, Debian's /usr/bin/chromium driven by Playwright), opens an editor on the map, and
for each run chooses another claim, types a fresh objection (so no drawing is cached) and clicks
Add. Timed in the page: from the click to the frame after the new box is in the map view (two
animation frames: the box is painted), and how long the map view took to draw the new SVG. Each
add is undone before the next, so every add is to a map of the same size. The first two runs warm
the kernel and the browser and are not counted.

Also printed: the SVG bytes of each course map as drawn for notebooks and exports, and as the map
view sends it to the browser (lean_svg).

``--pause S`` waits S seconds between typing the claim and clicking Add, as a student reaching for
the button does; the editor lays the map out with the typed claim when the typing pauses (0.5 s),
so then the click finds the layout done. The default, 0, clicks at once: the layout is part of the
wait.

On a shared machine the figures move with the load, so compare code back to back: ``--against DIR``
measures another checkout of argkit too (its ``src/``, e.g. ``git worktree add ../argkit-old <commit>``),
alternating the two ``--rounds`` times under the same load, and prints each one's figures over all
rounds and the ratio this/other.
"""

from __future__ import annotations

import argparse
import os
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


def bench(map_name: str, runs: int, src: Path | None = None, pause: float = 0) -> dict[str, list[float]]:
    """Times of ``runs`` adds in a fresh JupyterLab; ``src``: another checkout's argkit for its kernel."""
    import argkit

    ids = [n.id for n, _ in argkit.load(ROOT / "argmaps" / f"{map_name}.yaml").walk()]  # the list's order
    old_path = os.environ.get("PYTHONPATH")
    if src is not None:  # the server's kernel imports that argkit first
        os.environ["PYTHONPATH"] = os.pathsep.join([str(src), *([old_path] if old_path else [])])
    try:
        return _bench(map_name, runs, ids, pause)
    finally:
        if old_path is None:
            os.environ.pop("PYTHONPATH", None)
        else:
            os.environ["PYTHONPATH"] = old_path


def _bench(map_name: str, runs: int, ids: list[str], pause: float) -> dict[str, list[float]]:
    from playwright.sync_api import expect, sync_playwright

    from test_browser import CHROMIUM, CHROMIUM_ARGS, _run_all, serve

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
                if pause:
                    page.wait_for_timeout(pause * 1000)
                t = page.evaluate(MEASURE)
                if i >= 2:
                    painted.append(t["painted"])
                    in_dom.append(t["inDom"])
                    draw.append(t["draw"])
                undo.click()
                expect(mine).to_have_count(0)
            browser.close()
    return {"click -> new box painted": painted, "click -> new box in the page": in_dom,
            "map view drawing the SVG": draw}


def report(title: str, times: dict[str, list[float]]) -> None:
    print(title)
    for name, xs in times.items():
        print(f"  {name:<30} median {statistics.median(xs):6.1f} ms   p95 {_pct(xs, 0.95):6.1f} ms"
              f"   max {max(xs):6.1f} ms")


def _load() -> str:
    try:
        return f"load average {os.getloadavg()[0]:.1f}"
    except OSError:
        return "load average unknown"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20)
    ap.add_argument("--map", default="debate")
    ap.add_argument("--pause", type=float, default=0, help="seconds between typing and clicking Add")
    ap.add_argument("--against", type=Path, help="another checkout of argkit to compare with, back to back")
    ap.add_argument("--rounds", type=int, default=2, help="with --against: alternations of the two")
    a = ap.parse_args()
    svg_sizes()
    head = f"{a.map}: {{}} adds in Chromium at 1366x768 (JupyterLab, real kernel)" + (
        f", clicked {a.pause:g} s after typing" if a.pause else ", clicked at once after typing")
    if a.against is None:
        print(f"  before: {_load()}")
        report(head.format(a.runs) + f"; {_load()} after", bench(a.map, a.runs, pause=a.pause))
        print("  target: p95 <= 100 ms for click -> painted")
        return
    other = a.against.resolve() / "src"
    if not (other / "argkit").is_dir():
        sys.exit(f"--against {a.against}: no src/argkit there (give the root of a checkout of argkit)")
    this: dict[str, list[float]] = {}
    that: dict[str, list[float]] = {}
    for r in range(a.rounds):
        for name, src, into in (("this checkout", None, this), (str(a.against), other, that)):
            print(f"  round {r + 1}/{a.rounds}: {name} ({_load()})", flush=True)
            for k, xs in bench(a.map, a.runs, src, a.pause).items():
                into.setdefault(k, []).extend(xs)
    report(head.format(len(this["click -> new box painted"])) + f", this checkout; {_load()} at the end", this)
    report(head.format(len(that["click -> new box painted"])) + f", {a.against}", that)
    print("ratio this / other:")
    for k in this:
        print(f"  {k:<30} median {statistics.median(this[k]) / statistics.median(that[k]):5.2f}"
              f"   p95 {_pct(this[k], 0.95) / _pct(that[k], 0.95):5.2f}")
    print("  target: p95 <= 100 ms for click -> painted")


if __name__ == "__main__":
    main()
