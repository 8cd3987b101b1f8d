"""Browser-edition benchmark: what a student's first visit to the built site costs.

Run after building the site (``python tools/build_site.py``):
``python benchmarks/bench_lite.py [--runs 3] [--site build/site]``.

Serves the site from 127.0.0.1 (as any static web space would) and opens notebook 00 in headless
Chromium (/usr/bin/chromium), each run in a fresh browser profile (a first visit), then once more
in the same profile (a return visit, browser cache warm). For each it prints the median of:
the time until JupyterLab shows the notebook, until the Pyodide kernel is ready, until Run All
has drawn the first map, and the bytes and requests the server sent.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import statistics
import threading
import time
from pathlib import Path
from typing import Any, ClassVar

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "notebooks/00-start-here.ipynb"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"]


class Counting(http.server.SimpleHTTPRequestHandler):
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm"}
    sent: ClassVar[list[int]] = []

    def copyfile(self, source: Any, outputfile: Any) -> None:
        data = source.read()
        self.sent.append(len(data))
        outputfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def visit(ctx: Any, url: str) -> dict[str, float]:
    Counting.sent.clear()
    page = ctx.new_page()
    t0 = time.monotonic()
    page.goto(f"{url}/lab/index.html?path={NOTEBOOK}")
    page.wait_for_function(
        "p => { const app = window.jupyterapp; if (!app) return false;"
        " const w = Array.from(app.shell.widgets('main')).find(w => w.context && w.context.path === p);"
        " if (!w || !w.content || !w.content.widgets.length) return false;"
        " window.nb = w; return true; }", arg=NOTEBOOK, timeout=300_000)
    shown = time.monotonic() - t0
    page.evaluate("() => window.nb.sessionContext.ready")
    page.wait_for_function("() => window.nb.sessionContext.session?.kernel?.status === 'idle'", timeout=300_000)
    ready = time.monotonic() - t0
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        "() => Array.from(window.nb.content.model.cells).some(c => c.type === 'code' &&"
        " JSON.stringify(c.outputs.toJSON()).includes('image/svg+xml'))", timeout=300_000)
    first_map = time.monotonic() - t0
    page.wait_for_function(
        "() => window.nb.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount)"
        " && window.nb.sessionContext.session?.kernel?.status === 'idle'", timeout=300_000)
    page.close()
    return {"shown": shown, "ready": ready, "first_map": first_map,
            "mb": sum(Counting.sent) / 1e6, "requests": len(Counting.sent)}


def main() -> None:
    from playwright.sync_api import sync_playwright

    p = argparse.ArgumentParser()
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--site", type=Path, default=ROOT / "build" / "site")
    a = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Counting, directory=str(a.site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}"
    first: list[dict[str, float]] = []
    again: list[dict[str, float]] = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=ARGS)
        for _ in range(a.runs):
            ctx = browser.new_context(viewport={"width": 1366, "height": 768})
            first.append(visit(ctx, url))
            again.append(visit(ctx, url))
            ctx.close()
        browser.close()
    server.shutdown()
    size = sum(f.stat().st_size for f in a.site.rglob("*") if f.is_file())
    files = sum(1 for f in a.site.rglob("*") if f.is_file())
    print(f"site: {files} files, {size / 1e6:.1f} MB")
    for name, runs in (("first visit", first), ("return visit", again)):
        med = {k: statistics.median(r[k] for r in runs) for k in runs[0]}
        print(f"{name} (median of {len(runs)}): notebook shown {med['shown']:.1f} s, kernel ready "
              f"{med['ready']:.1f} s, first map {med['first_map']:.1f} s; "
              f"{med['mb']:.1f} MB in {med['requests']:.0f} requests")


if __name__ == "__main__":
    main()
