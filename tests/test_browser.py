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
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = "05-your-turn.ipynb"
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
    tmp = tmp_path_factory.mktemp("lab")
    root = tmp / "course"
    shutil.copytree(ROOT / "argmaps", root / "argmaps")
    (root / "notebooks").mkdir()
    shutil.copy2(ROOT / "notebooks" / NOTEBOOK, root / "notebooks" / NOTEBOOK)
    config = tmp / "jupyter-config"
    config.mkdir()
    # No news or update checks: nothing goes to the network, and no toast covers the page.
    notification = tmp / "lab-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
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


def test_click_type_add_in_jupyterlab(lab: tuple[str, str, Path]):
    from playwright.sync_api import expect, sync_playwright

    url, token, root = lab
    saved = root / "notebooks" / "work" / "cox-thesis-ana.yaml"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            page.goto(f"{url}/lab/tree/notebooks/{NOTEBOOK}?reset&token={token}")

            # The kernel itself, not the idle indicator: the session is ready and its kernel idle.
            page.wait_for_function(
                "() => { const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;"
                " return !!(w && w.sessionContext && w.content && w.content.widgets.length); }")
            page.evaluate("() => window.jupyterapp.shell.currentWidget.sessionContext.ready")
            page.wait_for_function(
                "() => { const k = window.jupyterapp.shell.currentWidget.sessionContext.session?.kernel;"
                " return !!k && k.status === 'idle'; }", timeout=60_000)
            page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
            page.wait_for_function(
                "() => { const w = window.jupyterapp.shell.currentWidget;"
                " const k = w.sessionContext.session?.kernel;"
                " return w.content.widgets.every(c => c.model.type !== 'code' || c.model.executionCount)"
                " && !!k && k.status === 'idle'; }", timeout=60_000)

            out = (page.locator(".jp-OutputArea-output").filter(has=page.locator(".argkit-mapview"))
                   .filter(has=page.locator("textarea")))  # the editor, not the what-if view below it
            expect(out).to_have_count(1)
            expect(out.locator(".argkit-mapview svg")).to_have_count(1)
            assert page.locator(".jp-OutputArea-output", has_text="Error displaying widget").count() == 0
            # The notebook's example claims were undone again: the map is Cox's alone.
            expect(out.locator("g.node.argkit-student")).to_have_count(0)

            target = "r_history"  # Cox: the partnership has deep roots
            box = out.locator(f"g.node[id='argkit-node-{target}']")
            box.click()
            expect(box).to_have_class(re.compile(r"\bargkit-selected\b"))
            expect(out.get_by_text(re.compile(f"^Selected reason {target} "))).to_be_visible()

            out.locator("textarea").fill(OBJECTION)
            out.get_by_role("button", name="Add", exact=True).click()

            mine = out.locator("g.node.argkit-student")
            expect(mine).to_have_count(1)
            expect(mine).to_contain_text("Trade figures hide")
            new_id = mine.get_attribute("id").removeprefix("argkit-node-")
            assert new_id.startswith("ana-")
            expect(out.get_by_text(f"Added your objection {new_id} to {target}.", exact=True)).to_be_visible()
            mine.scroll_into_view_if_needed()
            page.screenshot(path=str(ARTIFACTS / "browser-editor.png"))
        finally:
            browser.close()

    deadline = time.monotonic() + 10
    while OBJECTION not in (saved.read_text(encoding="utf-8") if saved.exists() else ""):
        assert time.monotonic() < deadline, f"{saved} never got the new objection"
        time.sleep(0.2)
    text = saved.read_text(encoding="utf-8")
    assert "extends: ../../argmaps/cox-thesis.yaml" in text
    assert f"- id: {new_id}\n  parent: {target}\n  stance: con\n" in text
    assert (root / "argmaps" / "cox-thesis.yaml").read_bytes() == (ROOT / "argmaps" / "cox-thesis.yaml").read_bytes()
