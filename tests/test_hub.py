"""A real JupyterHub on 127.0.0.1: a class logs in, adds claims in the editor, hands in; the teacher sees all.

The hub runs ``deploy/jupyterhub_config.py`` (the one-server deployment) with throwaway users: the
dummy authenticator and the simple local spawner (every server runs as the user running the test,
with its home in a temporary folder). N students log in through the hub's login form, start their
servers through the hub, open the course's notebook 05 (a session and a kernel through the proxy),
add claims with the editor widget and hand them in, all at the same time; the teacher's class map
must then show every handed-in claim exactly once, and every hand-in file must hold its own
student's claims and nobody else's.

Needs ``jupyterhub`` (pinned in requirements.txt) and ``configurable-http-proxy`` from npm: on the
PATH or in ``.cache/chp`` of the checkout. Without it the test skips with the command that installs
it, unless ARGKIT_REQUIRE_HUB=1 (``.ci/run`` sets it), when the test installs it with npm itself.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHP_VERSION = "5.3.0"
CHP_DIR = ROOT / ".cache" / "chp"
CHP_INSTALL = (f"npm install --prefix {CHP_DIR} --no-save --no-audit --no-fund "
               f"configurable-http-proxy@{CHP_VERSION}")
STUDENTS = [f"student{i:02d}" for i in range(1, 9)]  # N = 8
TEACHER = "teacher"
NOTEBOOK = "argkit/notebooks/05-your-turn.ipynb"

pytestmark = [pytest.mark.hub, pytest.mark.slow]


def _chp() -> str:
    found = shutil.which("configurable-http-proxy")
    local = CHP_DIR / "node_modules" / ".bin" / "configurable-http-proxy"
    if found:
        return found
    if local.exists():
        return str(local)
    if os.environ.get("ARGKIT_REQUIRE_HUB") != "1":
        pytest.skip(f"JupyterHub test skipped: configurable-http-proxy is missing; install it with: {CHP_INSTALL}")
    if not shutil.which("npm"):
        pytest.fail("ARGKIT_REQUIRE_HUB=1 but npm is missing (apt-get install npm) to install configurable-http-proxy")
    CHP_DIR.mkdir(parents=True, exist_ok=True)
    subprocess.run(CHP_INSTALL.split(), check=True, timeout=300, capture_output=True)
    return str(local)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Hub:
    url: str
    token: str  # a service's token with the admin scopes the test needs
    root: Path
    log: Path

    def api(self, method: str, path: str, token: str | None = None, **kw):
        import requests

        r = requests.request(method, f"{self.url}/hub/api{path}", timeout=60,
                             headers={"Authorization": f"token {token or self.token}"}, **kw)
        return r


def start_hub(tmp: Path, chp: str, extra_config: str = "") -> tuple[Hub, subprocess.Popen[bytes]]:
    """Start the deployment's hub over a copy of the course in ``tmp`` (throwaway users, 127.0.0.1 only)."""
    import requests

    course = tmp / "course"
    shutil.copytree(ROOT / "argmaps", course / "argmaps")
    shutil.copytree(ROOT / "notebooks", course / "notebooks",
                    ignore=shutil.ignore_patterns("work", ".ipynb_checkpoints", "class-example"))
    (tmp / "homes").mkdir()
    runtime = Path(tempfile.mkdtemp(prefix="akrt-", dir="/tmp"))
    port, hub_port, api_port = _free_port(), _free_port(), _free_port()
    token = secrets.token_hex(32)
    config = tmp / "test_config.py"
    config.write_text(f"""
c = get_config()
load_subconfig({str(ROOT / "deploy" / "jupyterhub_config.py")!r})
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{chp!r}]
c.JupyterHub.authenticator_class = "dummy"
c.JupyterHub.spawner_class = "simple"
c.Authenticator.allow_all = True
c.Authenticator.admin_users = {{{TEACHER!r}}}
c.SimpleLocalProcessSpawner.home_dir_template = {str(tmp / "homes" / "{username}")!r}
c.Spawner.ip = "127.0.0.1"
c.Spawner.args = [*c.Spawner.args, "--allow-root"]
# Kernel sockets need short paths (a Unix socket path has at most 107 bytes; tmp_path is long).
c.Spawner.environment = {{**c.Spawner.environment, "JUPYTERHUB_SINGLEUSER_APP": "jupyter_server.serverapp.ServerApp",
                         "ARGKIT_ENGINE": "embedded",
                         "JUPYTER_RUNTIME_DIR": lambda spawner: {str(runtime)!r} + "/" + spawner.user.name}}
c.JupyterHub.services = [{{"name": "argkit-test", "api_token": {token!r}}}]
c.JupyterHub.load_roles = [{{"name": "argkit-test", "services": ["argkit-test"],
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "read:users"]}}]
c.JupyterHub.cleanup_servers = True
{extra_config}
""", encoding="utf-8")
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "ARGKIT_"))},
        "ARGKIT_COURSE": str(course),
        "ARGKIT_HANDIN": str(tmp / "handin"),
        "ARGKIT_HUB_HOME": str(tmp / "homes" / "{username}"),
        "ARGKIT_HUB_DB": f"sqlite:///{tmp / 'jupyterhub.sqlite'}",
        "ARGKIT_HUB_COOKIE_SECRET": str(tmp / "cookie_secret"),
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '')}",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp / "jupyterhub.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=tmp, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    h = Hub(f"http://127.0.0.1:{port}", token, tmp, log)
    proc.runtime_dir = runtime  # type: ignore[attr-defined]
    deadline = time.monotonic() + 90
    while True:
        if proc.poll() is not None:
            pytest.fail(f"JupyterHub exited with {proc.returncode}:\n{log.read_text()[-4000:]}")
        try:
            if requests.get(f"{h.url}/hub/api/", timeout=2).status_code == 200:
                return h, proc
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            stop_hub(proc)
            pytest.fail(f"JupyterHub did not answer within 90 s:\n{log.read_text()[-4000:]}")
        time.sleep(0.5)


def stop_hub(proc: subprocess.Popen[bytes]) -> None:
    """Stop the hub: it stops every server it started (cleanup_servers) and its proxy."""
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, 9)
        proc.wait()
    runtime = getattr(proc, "runtime_dir", None)
    if runtime is not None:
        shutil.rmtree(runtime, ignore_errors=True)


@pytest.fixture(scope="module")
def hub(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hub]:
    chp = _chp()
    pytest.importorskip("jupyterhub", reason="jupyterhub is missing: pip install -r requirements.txt")
    h, proc = start_hub(tmp_path_factory.mktemp("hub"), chp)
    try:
        yield h
    finally:
        stop_hub(proc)


# -- one student, through the hub ------------------------------------------------------------------
def _login(hub: Hub, name: str):
    """Log in through the hub's login form, as a browser does; returns the logged-in session."""
    import requests

    s = requests.Session()
    s.get(f"{hub.url}/hub/login", timeout=60).raise_for_status()
    r = s.post(f"{hub.url}/hub/login", data={"username": name, "password": "x", "_xsrf": s.cookies.get("_xsrf")},
               allow_redirects=False, timeout=60)
    assert r.status_code == 302, f"login of {name} failed: {r.status_code} {r.text[:300]}"
    assert any(c.name.startswith("jupyterhub-session") or c.name == "jupyterhub-hub-login" for c in s.cookies)
    return s


def _start_server(hub: Hub, name: str, session) -> str:
    """'Start my server', as the Home page's button does; returns a token for the student's server."""
    r = session.get(f"{hub.url}/hub/spawn/{name}", allow_redirects=False, timeout=120)
    assert r.status_code in (200, 302), r.text[:300]
    deadline = time.monotonic() + 180
    while True:
        info = hub.api("GET", f"/users/{name}").json()
        server = info.get("servers", {}).get("", {})
        if server.get("ready"):
            break
        assert time.monotonic() < deadline, f"{name}'s server did not start:\n{hub.log.read_text()[-3000:]}"
        time.sleep(0.5)
    r = hub.api("POST", f"/users/{name}/tokens", json={"note": "argkit test", "expires_in": 3600})
    r.raise_for_status()
    return r.json()["token"]


def _run(hub: Hub, name: str, token: str, kernel: dict, code: str, timeout: float = 180) -> str:
    """Run code in the student's kernel over the websocket, through the proxy; returns its stdout."""
    import websocket

    ws = websocket.create_connection(
        f"{hub.url.replace('http', 'ws')}/user/{name}/api/kernels/{kernel['id']}/channels",
        header=[f"Authorization: token {token}"], timeout=timeout)
    try:
        msg_id = uuid.uuid4().hex
        ws.send(json.dumps({
            "header": {"msg_id": msg_id, "username": name, "session": uuid.uuid4().hex,
                       "msg_type": "execute_request", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": False, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        out, reply, idle = [], None, False
        deadline = time.monotonic() + timeout
        while reply is None or not idle:
            assert time.monotonic() < deadline, f"{name}'s kernel did not answer: {''.join(out)}"
            m = json.loads(ws.recv())
            if m.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            t = m["msg_type"]
            if t == "stream":
                out.append(m["content"]["text"])
            elif t == "error":
                pytest.fail(f"{name}'s kernel raised:\n" + "\n".join(m["content"]["traceback"]))
            elif t == "execute_reply":
                reply = m["content"]
            elif t == "status" and m["content"]["execution_state"] == "idle":
                idle = True
        assert reply["status"] == "ok", reply
        return "".join(out)
    finally:
        ws.close()


def _open_course(hub: Hub, name: str, token: str) -> dict:
    """Open notebook 05 as JupyterLab does: read it, start a session (and its kernel) for it."""
    import requests

    h = {"Authorization": f"token {token}"}
    base = f"{hub.url}/user/{name}"
    lab = requests.get(f"{base}/lab", headers=h, timeout=60)
    assert lab.status_code == 200 and "jupyter-config-data" in lab.text  # JupyterLab's page
    nb = requests.get(f"{base}/api/contents/{NOTEBOOK}", headers=h, timeout=60)
    assert nb.status_code == 200 and nb.json()["type"] == "notebook"
    r = requests.post(f"{base}/api/sessions", headers=h, timeout=120, json={
        "path": NOTEBOOK, "name": Path(NOTEBOOK).name, "type": "notebook", "kernel": {"name": "python3"}})
    assert r.status_code == 201, r.text[:300]
    return r.json()["kernel"]


STUDENT_CODE = """
import json
import argkit
ed = argkit.edit("../argmaps/cox-thesis.yaml")  # the author is the hub's user name
added = []
for target, text in {claims!r}:
    ed.select(target)
    ed.action.value = "con"
    ed.text.value = text
    before = {{n.id for n in ed.map.own_nodes()}}
    ed.add_button.click()  # as a click in the page does
    (new,) = {{n.id for n in ed.map.own_nodes()}} - before
    added.append((new, ed.map.node(new).text))
path = ed.hand_in()  # to $ARGKIT_HANDIN, set by the hub's config
print(json.dumps({{"user": ed.author, "added": added, "path": str(path), "saved": str(ed.save_to)}}))
"""


def _claims(name: str) -> list[tuple[str, str]]:
    n = int(name[-2:])
    # No names in the texts: the anonymised map below must show none.
    return [("cox", f"The partnership is a marriage of convenience (claim {n}a)."),
            ("r_history", f"History also holds border wars (claim {n}b)."),
            ("r_stands_by" if n % 2 else "r_priority", f"Words are cheap (claim {n}c).")]


def _student(hub: Hub, name: str) -> dict:
    t0 = time.monotonic()
    session = _login(hub, name)
    token = _start_server(hub, name, session)
    kernel = _open_course(hub, name, token)
    out = _run(hub, name, token, kernel, STUDENT_CODE.format(claims=_claims(name)))
    result = json.loads(out.strip().splitlines()[-1])
    result["token"], result["kernel"], result["seconds"] = token, kernel, time.monotonic() - t0
    return result


AGAIN = """
ed.select("cox")
ed.action.value = "con"
ed.text.value = {text!r}
ed.add_button.click()
print(ed.hand_in())
"""


def _again(name: str) -> str:
    return f"Second thoughts: alliances of convenience can last (claim {int(name[-2:])}d)."


def test_a_class_hands_in_through_a_real_hub_and_the_teacher_sees_every_claim(hub: Hub):
    import requests

    handin = hub.root / "handin"
    assert handin.is_dir()  # made by the deployment's config

    # The teacher opens the class map first: nothing handed in yet.
    session = _login(hub, TEACHER)
    t_token = _start_server(hub, TEACHER, session)
    t_kernel = _open_course(hub, TEACHER, t_token)
    first = _run(hub, TEACHER, t_token, t_kernel,
                 "import argkit\ncm = argkit.class_map(names=True, interval=0)\nprint(len(cm.claims()))")
    assert first.strip() == "0"

    # The class, all at once: log in, start, open the course, add three claims, hand in.
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        results = list(pool.map(lambda n: _student(hub, n), STUDENTS))

    for name, r in zip(STUDENTS, results, strict=True):
        assert r["user"] == name
        assert [text for _, text in r["added"]] == [text for _, text in _claims(name)]
        # Each server's course copy is its student's own: the work file is in their home.
        assert Path(r["saved"]).is_absolute() is False
        assert (hub.root / "homes" / name / "argkit" / "notebooks" / r["saved"]).is_file()

    # One file per student in the hand-in folder, holding exactly that student's claims.
    files = sorted(handin.glob("*.yaml"))
    assert len(files) == len(STUDENTS), [f.name for f in files]
    import argkit

    for f in files:
        m = argkit.load(f)
        who = {n.added_by for n in m.own_nodes()}
        assert len(who) == 1, f"{f.name} mixes the work of {who}"
        (name,) = who
        assert name in f.name
        assert sorted(n.text for n in m.own_nodes()) == sorted(t for _, t in _claims(name))
        assert stat.S_IMODE(f.stat().st_mode) & 0o007 == 0, "a hand-in must not be readable by other students"

    # The teacher's class map (the page's next look at the folder) shows every claim exactly once.
    shown = json.loads(_run(hub, TEACHER, t_token, t_kernel,
                            "import json\ncm.poll()\n"
                            "print(json.dumps(sorted([n.added_by, n.text] for n in cm.claims())))").strip())
    expected = sorted([name, text] for name in STUDENTS for _, text in _claims(name))
    assert shown == expected
    # Everyone hands in again at once, with one more claim: replaced, never duplicated or lost.
    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        again = list(pool.map(lambda r: _run(hub, r["user"], r["token"], r["kernel"],
                                             AGAIN.format(text=_again(r["user"]))), results))
    assert [Path(a.strip()) for a in again] == [Path(r["path"]) for r in results]
    assert len(list(handin.glob("*.yaml"))) == len(STUDENTS)
    shown = json.loads(_run(hub, TEACHER, t_token, t_kernel,
                            "cm.poll()\nprint(json.dumps(sorted([n.added_by, n.text] for n in cm.claims())))"))
    assert shown == sorted(expected + [[name, _again(name)] for name in STUDENTS])

    # Anonymised by default: no student's name anywhere on the projector.
    anon = _run(hub, TEACHER, t_token, t_kernel,
                "a = argkit.class_map(interval=0)\n"
                "print(sorted({n.added_by for n in a.claims()}), any(s in a.view.svg for s in "
                f"{STUDENTS!r}))")
    assert anon.strip() == repr(sorted(f"Student {i}" for i in range(1, 9))) + " False"

    # A student's token opens their own server only.
    own = requests.get(f"{hub.url}/user/{STUDENTS[0]}/api/status", timeout=30,
                       headers={"Authorization": f"token {results[0]['token']}"})
    other = requests.get(f"{hub.url}/user/{STUDENTS[1]}/api/status", timeout=30, allow_redirects=False,
                         headers={"Authorization": f"token {results[0]['token']}"})
    assert own.status_code == 200 and other.status_code in (302, 403), other.status_code
    print("seconds per student (login to hand-in):", sorted(round(r["seconds"], 1) for r in results))
