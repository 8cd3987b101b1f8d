"""The real thing: JupyterLab in headless Chromium runs 05-your-turn.ipynb; a click and a typed objection.

A fresh JupyterLab server runs on a free port of 127.0.0.1 over a temporary copy of the course
(argmaps/ and the notebook), with its own config, data, runtime, settings and workspace folders,
so nothing is left behind in the repository or the user's Jupyter setup. Debian's Chromium is
driven by Playwright's Python package (never ``playwright install``).

Without /usr/bin/chromium the test skips with the reason, unless ARGKIT_REQUIRE_BROWSER=1
(``.ci/run`` sets it), where a missing browser fails the run.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "05-your-turn.ipynb"
AXE_NOTEBOOKS = ("01-cox-thesis.ipynb", NOTEBOOK)  # a reading notebook and the editor's
AXE_VERSION = "4.14.1"
AXE_DIR = ROOT / ".cache" / "axe"  # git-ignored; npm installs axe-core here on first use
LAPTOP = {"width": 1366, "height": 768}
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
OBJECTION = "Trade figures hide how unequal the two partners have become."

pytestmark = pytest.mark.browser


def _browser_or_skip() -> None:
    problem = None
    if not CHROMIUM.is_file():
        problem = f"{CHROMIUM} is missing: install Debian's chromium package (apt-get install chromium)"
    else:
        try:
            import playwright.sync_api  # noqa: F401
        except ImportError:
            problem = "the playwright Python package is missing: pip install -r requirements.txt"
    if problem is None:
        return
    if os.environ.get("ARGKIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"ARGKIT_REQUIRE_BROWSER=1 but {problem}")
    pytest.skip(f"real-browser test skipped: {problem}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_server(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"JupyterLab exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"JupyterLab did not answer within {timeout} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    """A fresh JupyterLab over a temporary copy of the course: (base url, token, server root)."""
    _browser_or_skip()
    with serve(tmp_path_factory.mktemp("lab"), {NOTEBOOK, *AXE_NOTEBOOKS}) as running:
        yield running


# JupyterLab settings of every test server: no news or update checks, so nothing goes to the
# network and no toast covers the page.
SETTINGS: dict[tuple[str, str], dict[str, Any]] = {
    ("apputils-extension", "notification"): {"fetchNews": "false", "checkForUpdates": False},
}


@contextmanager
def serve(tmp: Path, notebooks: Iterable[str],
          settings: dict[tuple[str, str], dict[str, Any]] | None = None) -> Iterator[tuple[str, str, Path]]:
    """A fresh JupyterLab over a copy of argmaps/ and the named notebooks (or notebook folders) in
    ``tmp``: (url, token, root).

    Its config, data (empty: no notebook is trusted, as in a fresh clone), runtime, settings and
    workspace folders are all in ``tmp``; ``settings`` adds JupyterLab settings by
    ``(extension, name)`` to :data:`SETTINGS`. Used by every browser test and by benchmarks/.
    """
    root = tmp / "course"
    shutil.copytree(ROOT / "argmaps", root / "argmaps")
    (root / "notebooks").mkdir()
    for name in notebooks:  # a notebook, or a folder one reads (class-example/)
        source = ROOT / "notebooks" / name
        if source.is_dir():
            shutil.copytree(source, root / "notebooks" / name)
        else:
            shutil.copy2(source, root / "notebooks" / name)
    config = tmp / "jupyter-config"
    config.mkdir()
    for (ext, name), value in {**SETTINGS, **(settings or {})}.items():
        f = tmp / "lab-settings" / "@jupyterlab" / ext / f"{name}.jupyterlab-settings"
        f.parent.mkdir(parents=True, exist_ok=True)
        f.write_text(json.dumps(value))
    env = {
        **os.environ,
        "JUPYTER_CONFIG_DIR": str(config),
        "JUPYTER_DATA_DIR": str(tmp / "jupyter-data"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "jupyter-runtime"),
        "IPYTHONDIR": str(tmp / "ipython"),
        "JUPYTERHUB_USER": "",
        "PYTHONUNBUFFERED": "1",
    }
    port, token = _free_port(), secrets.token_hex(16)
    cmd = [
        sys.executable, "-m", "jupyterlab", "--no-browser", "--allow-root",
        "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
        f"--LabApp.user_settings_dir={tmp / 'lab-settings'}",
        f"--LabApp.workspaces_dir={tmp / 'lab-workspaces'}",
        "--LabApp.expose_app_in_browser=True",  # window.jupyterapp: wait on the kernel itself
    ]
    log = tmp / "jupyterlab.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(cmd, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_server(f"{url}/api/status?token={token}", proc, log)
        yield url, token, root
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def chromium_page(viewport: dict[str, int] = LAPTOP) -> Iterator[Any]:
    """A page of a new headless Chromium (Debian's, driven by Playwright), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=viewport)
            page.set_default_timeout(30_000)
            yield page
        finally:
            browser.close()


def open_notebook(page: Any, url: str, token: str, notebook: str) -> None:
    """Open a notebook in a fresh JupyterLab tab (``?reset``: no saved layout) and wait for its cells."""
    page.goto(f"{url}/lab/tree/notebooks/{notebook}?reset&token={token}")
    page.wait_for_function(
        "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
        " return !!(w && w.sessionContext && w.content && w.content.widgets.length); }")


def run_cells(page: Any, *, wait: bool = True) -> None:
    """Run every cell of the open notebook; with ``wait``, until each ran and the kernel is idle.

    The kernel itself is waited for (its session ready, its status idle), not the idle indicator.
    """
    page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.ready")
    page.wait_for_function(
        "() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel;"
        " return !!k && k.status === 'idle'; }", timeout=60_000)
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    if wait:
        page.wait_for_function(
            "() => { const w = window.jupyterapp.shell.currentWidget;"
            " const k = w.sessionContext.session?.kernel;"
            " return w.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount)"
            " && !!k && k.status === 'idle'; }", timeout=60_000)


def _run_all(page: Any, url: str, token: str, notebook: str) -> None:
    """Open a notebook in a fresh JupyterLab tab and run every cell; wait for the kernel."""
    open_notebook(page, url, token, notebook)
    run_cells(page)


def editor_output(page: Any) -> Any:
    """The output that holds the editor (a map view with a text box), not the what-if view below it."""
    return (page.locator(".jp-OutputArea-output").filter(has=page.locator(".argkit-mapview"))
            .filter(has=page.locator("textarea")))


def _start_as(out: Any, name: str) -> None:
    """Type the student's name into the editor and click Start (nothing is saved before)."""
    from playwright.sync_api import expect

    out.locator("input[placeholder='e.g. Sam Lee']").fill(name)
    out.locator("button", has_text="Start").click()
    expect(out.locator("span", has_text=f"Hello {name}: your work is saved to")).to_be_visible()


def _on_screen(page: Any, locator: Any) -> dict[str, float]:
    """The element's box, and whether all of it is inside the page's viewport."""
    r = locator.bounding_box()
    assert r is not None, f"{locator} is not drawn"
    vp = page.viewport_size
    r["inside"] = r["x"] >= 0 and r["y"] >= 0 and r["x"] + r["width"] <= vp["width"] and r["y"] + r["height"] <= vp["height"]
    return r


def _within(inner: dict[str, float], outer: dict[str, float]) -> bool:
    eps = 1.0
    return (inner["x"] >= outer["x"] - eps and inner["y"] >= outer["y"] - eps
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + eps
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + eps)


def test_box_and_add_button_share_a_laptop_screen(lab: tuple[str, str, Path]):
    """At 1366x768: click a box, and it and the Add button are on screen; after Add, the new box is."""
    from playwright.sync_api import expect

    url, token, root = lab
    shutil.rmtree(root / "notebooks" / "work", ignore_errors=True)  # a fresh student
    with chromium_page() as page:
        _run_all(page, url, token, NOTEBOOK)
        out = editor_output(page)
        expect(out).to_have_count(1)
        _start_as(out, "sam")
        port = out.locator(".argkit-mv-port")
        expect(port.locator("svg")).to_have_count(1)
        # Fit: the whole map in the width of its box (the notebook's demo cells zoomed in)
        out.get_by_role("button", name="Fit the map to the width of its box").click()
        assert port.evaluate("p => p.scrollWidth <= p.clientWidth + 1"), port.evaluate(
            "p => [p.scrollWidth, p.clientWidth, p.parentElement.dataset.scale]")

        target = "r_history"
        box = out.locator(f"g.node[id='argkit-node-{target}']")
        box.click()
        expect(box).to_have_class(re.compile(r"\bargkit-selected\b"))
        add = out.get_by_role("button", name="Add", exact=True)
        page.wait_for_timeout(300)  # let the zoom to the box settle
        where_box, where_add = _on_screen(page, box), _on_screen(page, add)
        assert where_box["inside"] and where_add["inside"], (where_box, where_add)
        assert _within(where_box, _on_screen(page, port))
        # readable: the box's text is at least 8 px high on screen
        text_px = box.locator("text").first.evaluate("t => t.getBoundingClientRect().height")
        assert text_px >= 8, text_px
        expect(out.locator(".argkit-mv-live")).to_contain_text(f"Selected reason {target}")
        page.screenshot(path=str(ARTIFACTS / "browser-laptop-selected.png"))

        out.locator("textarea").fill(OBJECTION)
        add.click()  # no scrolling needed: it is on screen
        mine = out.locator("g.node.argkit-student")
        expect(mine).to_have_count(1)
        page.wait_for_timeout(300)
        where_new = _on_screen(page, mine)
        assert where_new["inside"], where_new
        assert _within(where_new, _on_screen(page, port)), (where_new, _on_screen(page, port))
        page.screenshot(path=str(ARTIFACTS / "browser-laptop-added.png"))

        # Focus: the claim with its parent and its children; the breadcrumb leads back up
        out.get_by_role("button", name=re.compile("^Show the selected claim")).click()
        expect(out.locator(".argkit-mv-crumb")).to_have_count(3)
        expect(port.locator("g[id='argkit-node-cox']")).to_have_count(1)
        expect(port.locator("g[id='argkit-node-r_best_ever']")).to_have_count(0)  # a sibling
        out.locator(".argkit-mv-crumb").first.click()
        expect(out.locator(".argkit-mv-crumb")).to_have_count(1)
        expect(port.locator("g[id='argkit-node-r_best_ever']")).to_have_count(1)


def test_keyboard_reaches_a_box_and_the_form(lab: tuple[str, str, Path]):
    """Tab to a box, Enter selects it (announced), Tab on reaches the form and Add."""
    from playwright.sync_api import expect

    url, token, root = lab
    shutil.rmtree(root / "notebooks" / "work", ignore_errors=True)
    with chromium_page() as page:
        _run_all(page, url, token, NOTEBOOK)
        out = editor_output(page)
        _start_as(out, "sam")
        out.locator(".argkit-mv-port").focus()
        page.keyboard.press("Tab")
        first = page.evaluate("() => document.activeElement.getAttribute('aria-label') || ''")
        assert first.startswith("contention cox"), first
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        focused = page.evaluate("() => document.activeElement.dataset.argkitId || ''")
        assert focused and out.locator(f"g.node[id='argkit-node-{focused}']").get_attribute("aria-pressed") == "true"
        expect(out.locator(".argkit-mv-live")).to_contain_text(f"Selected reason {focused}")
        expect(out.locator("span", has_text=re.compile(f"^Selected reason {focused} "))).to_be_visible()
        # on through the boxes to the form: Shift+Tab out of the map is as good, but Tab works
        for _ in range(200):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.tagName") == "TEXTAREA":
                break
        else:
            pytest.fail("Tab never reached the editor's text box")
        page.keyboard.type(OBJECTION)
        page.keyboard.press("Tab")
        for _ in range(10):  # source, quote, then the Add button
            if page.evaluate("() => document.activeElement.textContent.trim()") == "Add":
                break
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        expect(out.locator("g.node.argkit-student")).to_have_count(1)


# Every box's shape and every edge's line, in map units (pixels / scale) from the map's corner,
# with each box's name and tab stop: what a student sees and reaches, however it was drawn.
_PICTURE = """out => {
  const view = out.querySelector('.argkit-mapview');
  const stage = view.querySelector('.argkit-mv-stage');
  const s = parseFloat(view.dataset.scale);
  const o = stage.getBoundingClientRect();
  const at = el => { const r = el.getBoundingClientRect();
    return [r.left - o.left, r.top - o.top, r.width, r.height].map(v => +(v / s).toFixed(1)); };
  return {
    size: [o.width / s, o.height / s],
    boxes: [...stage.querySelectorAll('g.node')].map(g => [g.id, g.getAttribute('aria-label'),
      g.getAttribute('tabindex'), g.querySelector(':scope > title')?.textContent || '',
      ...at(g.querySelector('path, polygon'))]),
    edges: [...stage.querySelectorAll('g.edge path')].map(at).sort(),
    texts: [...stage.querySelectorAll('text')].map(t => t.textContent).sort(),
  };
}"""


def _same_picture(a: dict[str, Any], b: dict[str, Any]) -> None:
    def close(xs: list[float], ys: list[float]) -> bool:
        return len(xs) == len(ys) and all(abs(x - y) <= 1.5 for x, y in zip(xs, ys, strict=True))

    assert close(a["size"], b["size"]), (a["size"], b["size"])
    assert [x[:4] for x in a["boxes"]] == [x[:4] for x in b["boxes"]]  # order = tab order
    for x, y in zip(a["boxes"], b["boxes"], strict=True):
        assert close(x[4:], y[4:]), (x, y)
    assert len(a["edges"]) == len(b["edges"]) and all(map(close, a["edges"], b["edges"]))
    assert a["texts"] == b["texts"]


def test_add_and_undo_redraw_only_what_changed(lab: tuple[str, str, Path]):
    """After Add (and Undo) the map view patches the drawing in place (it parses only the new and
    changed pieces): the picture, the boxes' names and their tab order are those of a drawing made
    from scratch, and the new box is on screen."""
    from playwright.sync_api import expect, sync_playwright

    url, token, root = lab
    shutil.rmtree(root / "notebooks" / "work", ignore_errors=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=LAPTOP)
            page.set_default_timeout(30_000)
            _run_all(page, url, token, NOTEBOOK)
            out = (page.locator(".jp-OutputArea-output").filter(has=page.locator(".argkit-mapview"))
                   .filter(has=page.locator("textarea")))
            _start_as(out, "kim")
            view, port = out.locator(".argkit-mapview"), out.locator(".argkit-mv-port")
            mine = out.locator("g.node.argkit-student")

            def redrawn_whole() -> dict[str, Any]:
                """Focus the selected claim, then back to the whole map: drawn from scratch."""
                out.get_by_role("button", name=re.compile("^Show the selected claim")).click()
                expect(out.locator(".argkit-mv-crumb")).to_have_count(3)
                out.locator(".argkit-mv-crumb").first.click()
                expect(out.locator(".argkit-mv-crumb")).to_have_count(1)
                expect(view).not_to_have_attribute("data-patched", re.compile("."))
                return out.evaluate(_PICTURE)

            box = out.locator("g.node[id='argkit-node-r_history']")
            box.click()
            expect(box).to_have_class(re.compile(r"\bargkit-selected\b"))
            out.locator("textarea").fill(OBJECTION)
            out.get_by_role("button", name="Add", exact=True).click()
            expect(mine).to_have_count(1)
            expect(view).to_have_attribute("data-patched", re.compile(r"^\d+$"))
            assert 0 < int(view.get_attribute("data-patched")) < 40  # of ~100 pieces: only the changed ones
            page.wait_for_timeout(300)
            assert _within(_on_screen(page, mine), _on_screen(page, port))
            expect(mine).to_have_attribute("aria-label", re.compile("^objection kim-.* \\(added by a student\\)"))
            patched = out.evaluate(_PICTURE)
            _same_picture(patched, redrawn_whole())

            out.get_by_role("button", name="Undo", exact=True).click()
            expect(mine).to_have_count(0)
            expect(view).to_have_attribute("data-patched", re.compile(r"^\d+$"))
            patched = out.evaluate(_PICTURE)
            _same_picture(patched, redrawn_whole())
        finally:
            browser.close()


def _axe(page: Any) -> None:
    """Load axe-core (npm, installed once into the git-ignored .cache/) into the page."""
    script = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not script.is_file():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is missing: the accessibility test installs axe-core with it (apt-get install npm)")
        subprocess.run([npm, "install", "--prefix", str(AXE_DIR), "--no-save", "--no-audit", "--no-fund",
                        f"axe-core@{AXE_VERSION}"], check=True, capture_output=True, timeout=300)
    page.add_script_tag(path=str(script))


@pytest.mark.parametrize("notebook", AXE_NOTEBOOKS)
def test_map_outputs_have_no_serious_accessibility_problems(lab: tuple[str, str, Path], notebook: str):
    """axe-core on every map output (static maps and the map views) after Run All: 0 serious/critical.

    JupyterLab draws image/png and image/svg+xml outputs as an <img> without alt text (axe's
    critical image-alt), so a map shows through its HTML: the same SVG in an <img alt="...">.
    """
    url, token, root = lab
    shutil.rmtree(root / "notebooks" / "work", ignore_errors=True)
    with chromium_page() as page:
        _run_all(page, url, token, notebook)
        page.wait_for_timeout(500)
        _axe(page)
        found = page.evaluate("""async () => {
            const outs = [...document.querySelectorAll('.jp-OutputArea-output')].filter(o =>
                o.querySelector('.argkit-mapview, img, svg'));
            const bad = [];
            for (const o of outs) {
                const r = await axe.run(o, {resultTypes: ['violations']});
                for (const v of r.violations) {
                    if (v.impact === 'serious' || v.impact === 'critical') {
                        bad.push(`${v.id} (${v.impact}): ${v.help} x${v.nodes.length}: `
                                 + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
                    }
                }
            }
            return {outputs: outs.length, bad};
        }""")
        assert found["outputs"] >= 1, f"no map outputs found in {notebook}"
        assert found["bad"] == [], f"{notebook}: " + "\n".join(found["bad"])


def test_click_type_add_in_jupyterlab(lab: tuple[str, str, Path]):
    from playwright.sync_api import expect

    url, token, root = lab
    shutil.rmtree(root / "notebooks" / "work", ignore_errors=True)  # a fresh student
    saved = root / "notebooks" / "work" / "cox-thesis-sam.yaml"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page({"width": 1400, "height": 1000}) as page:
        _run_all(page, url, token, NOTEBOOK)
        out = editor_output(page)
        expect(out).to_have_count(1)
        expect(out.locator(".argkit-mapview svg")).to_have_count(1)
        assert page.locator(".jp-OutputArea-output", has_text="Error displaying widget").count() == 0
        # The notebook's examples ran on a demonstration editor: the student's map is Cox's alone.
        expect(out.locator("g.node.argkit-student")).to_have_count(0)
        # The editor asks the student's name before it saves anything.
        name = out.locator("input[placeholder='e.g. Sam Lee']")
        name.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "browser-editor-name.png"))  # what a student sees first
        name.fill("sam")
        out.locator("button", has_text="Start").click()
        expect(out.locator("span", has_text="Hello sam: your work is saved to work/cox-thesis-sam.yaml")
               ).to_be_visible()

        target = "r_history"  # Cox: the partnership has deep roots
        box = out.locator(f"g.node[id='argkit-node-{target}']")
        box.click()
        expect(box).to_have_class(re.compile(r"\bargkit-selected\b"))
        expect(out.locator("span", has_text=re.compile(f"^Selected reason {target} "))).to_be_visible()

        out.locator("textarea").fill(OBJECTION)
        out.get_by_role("button", name="Add", exact=True).click()

        mine = out.locator("g.node.argkit-student")
        expect(mine).to_have_count(1)
        expect(mine).to_contain_text("Trade figures hide")
        new_id = mine.get_attribute("id").removeprefix("argkit-node-")
        assert new_id.startswith("sam-")
        expect(out.locator("span", has_text=f"Added your objection {new_id} to {target}.")).to_be_visible()
        mine.scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "browser-editor.png"))

    deadline = time.monotonic() + 10
    while OBJECTION not in (saved.read_text(encoding="utf-8") if saved.exists() else ""):
        assert time.monotonic() < deadline, f"{saved} never got the new objection"
        time.sleep(0.2)
    text = saved.read_text(encoding="utf-8")
    assert "extends: ../../argmaps/cox-thesis.yaml" in text
    assert f"- id: {new_id}\n  parent: {target}\n  stance: con\n" in text
    assert (root / "argmaps" / "cox-thesis.yaml").read_bytes() == (ROOT / "argmaps" / "cox-thesis.yaml").read_bytes()
