"""The deployment files: the one-server hand-in folder keeps students apart; the Kubernetes values agree.

The hub test (test_hub.py) runs every server as one user, so it cannot show what the operating
system guarantees on a real class server. Here, as root, the deployment's config makes the hand-in
folder and processes running as three different users (two students and a teacher) try what a
curious student would.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "deploy" / "jupyterhub_config.py"
ANA, BEN, TEACHER = 61001, 61002, 61003
NOGROUP = 65534
SYSTEM_PYTHON = "/usr/bin/python3"


def _load_config(env: dict[str, str]) -> dict:
    """Run the hub's config file as JupyterHub does (``c = get_config()``); returns its namespace."""
    from traitlets.config import Config

    cfg = Config()
    ns = {"get_config": lambda: cfg, "__file__": str(CONFIG), "__name__": "jupyterhub_config"}
    old = dict(os.environ)
    os.environ.update(env)
    try:
        exec(compile(CONFIG.read_text(encoding="utf-8"), str(CONFIG), "exec"), ns)
    finally:
        os.environ.clear()
        os.environ.update(old)
    ns["c"] = cfg
    return ns


def _as(uid: int, gid: int, code: str, folder: Path) -> subprocess.CompletedProcess[str]:
    def drop() -> None:
        os.setgroups([])
        os.setgid(gid)
        os.setuid(uid)
        os.umask(0o027)  # what the config's Spawner.cmd sets for every student server

    # The system's Python: another user may not reach the test's interpreter (e.g. under /root).
    return subprocess.run([SYSTEM_PYTHON, "-c", code, str(folder)], preexec_fn=drop,
                          capture_output=True, text=True, timeout=60, cwd="/")


TRY = """
import os, sys
folder = sys.argv[1]
def attempt(name, f):
    try:
        f()
        print(name, "ok")
    except PermissionError:
        print(name, "denied")
"""


@pytest.mark.skipif(os.geteuid() != 0, reason="needs root to act as three different users")
@pytest.mark.skipif(not os.access(SYSTEM_PYTHON, os.X_OK), reason=f"needs {SYSTEM_PYTHON}")
def test_handin_folder_students_cannot_list_read_or_replace_each_other():
    base = Path(tempfile.mkdtemp(prefix="argkit-srv-"))  # pytest's tmp_path is private to root
    try:
        base.chmod(0o755)
        _students_and_teacher(base / "handin")
    finally:
        shutil.rmtree(base)


def _students_and_teacher(handin: Path) -> None:
    ns = _load_config({"ARGKIT_HANDIN": str(handin), "ARGKIT_TEACHERS_GROUP": "nogroup",
                       "ARGKIT_COURSE": str(ROOT)})
    assert ns["HANDIN"] == handin and handin.is_dir()
    assert stat.S_IMODE(handin.stat().st_mode) == 0o3773
    assert handin.stat().st_gid == NOGROUP

    # Ana hands in (atomically: a temporary file, then a rename, as argkit does).
    out = _as(ANA, ANA, TRY + """
tmp = os.path.join(folder, ".ana.tmp")
with open(tmp, "w") as f: f.write("argkit: 1\\n")
os.replace(tmp, os.path.join(folder, "cox-thesis-ana.yaml"))
def again():
    with open(tmp, "w") as f: f.write("argkit: 1\\ntitle: again\\n")
    os.replace(tmp, os.path.join(folder, "cox-thesis-ana.yaml"))
attempt("hand-in again", again)
""", handin)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["hand-in", "again", "ok"]
    ana = handin / "cox-thesis-ana.yaml"
    assert ana.stat().st_uid == ANA and ana.stat().st_gid == NOGROUP  # the teachers' group
    assert stat.S_IMODE(ana.stat().st_mode) == 0o640

    # Ben tries everything on Ana's file: list, read, write, replace, delete.
    out = _as(BEN, BEN, TRY + """
ana = os.path.join(folder, "cox-thesis-ana.yaml")
tmp = os.path.join(folder, ".ben.tmp")
with open(tmp, "w") as f: f.write("argkit: 1\\n")
attempt("list", lambda: os.listdir(folder))
attempt("read", lambda: open(ana).read())
attempt("write", lambda: open(ana, "a").write("x"))
attempt("replace", lambda: os.replace(tmp, ana))
attempt("delete", lambda: os.unlink(ana))
attempt("own", lambda: os.replace(tmp, os.path.join(folder, "cox-thesis-ben.yaml")))
""", handin)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["list denied", "read denied", "write denied", "replace denied",
                                       "delete denied", "own ok"]
    assert ana.read_text() == "argkit: 1\ntitle: again\n"

    # The teacher (in the teachers' group) lists and reads every hand-in.
    out = _as(TEACHER, NOGROUP, TRY + """
print(sorted(os.listdir(folder)))
print(open(os.path.join(folder, "cox-thesis-ana.yaml")).read().strip())
""", handin)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["['cox-thesis-ana.yaml', 'cox-thesis-ben.yaml']", "argkit: 1", "title: again"]


def test_config_settings_for_a_class(tmp_path: Path):
    ns = _load_config({"ARGKIT_HANDIN": str(tmp_path / "handin"), "ARGKIT_TEACHERS_GROUP": "nogroup"})
    c = ns["c"]
    assert c.JupyterHub.authenticator_class == "pam" and c.JupyterHub.spawner_class == "localprocess"
    assert c.Spawner.environment["ARGKIT_HANDIN"] == str(ns["HANDIN"])
    assert "--KernelManager.transport=ipc" in c.Spawner.args
    assert Path(c.Spawner.cmd[-1]) == ROOT / "deploy" / "singleuser.py"
    assert "os.umask(0o027)" in Path(c.Spawner.cmd[-1]).read_text(encoding="utf-8")
    assert c.Spawner.pre_spawn_hook is ns["copy_course"]


def test_the_students_server_starts_without_the_hubs_database_layer():
    # The launcher the hub runs: jupyterhub-singleuser and JupyterLab, without the hub's ORM, the
    # IRI grammar, or a node process at import; every JupyterHub module the server needs is there.
    code = f"""
import subprocess, sys
runs = []
real = subprocess.Popen.__init__
subprocess.Popen.__init__ = lambda self, args, *a, **k: runs.append(args) or real(self, args, *a, **k)
sys.path.insert(0, {str(ROOT / "deploy")!r})
sys.argv = ["singleuser.py"]
import singleuser
singleuser.lean()
import jupyterlab.labapp, jupyterhub.singleuser.extension as ext
from jupyterhub.services.auth import HubOAuth
from jupyterhub.log import log_request
print(sorted(m for m in ("sqlalchemy.orm", "alembic", "rfc3987_syntax") if sys.modules.get(m) is not None))
print(type(sys.modules["jupyterhub.orm"]).__name__, runs, sys.argv[1:])
print(ext.main == ext.JupyterHubSingleUser.launch_instance)  # the extension, not the old app
import jupyterhub.orm
print(jupyterhub.orm.User.__tablename__)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.splitlines() == ["[]", "_LazyModule [] ['--LanguageServerManager.autodetect=False']",
                                       "True", "users"]  # the ORM still loads if ever used


def test_kubernetes_values_agree_with_the_one_server_config():
    values = yaml.safe_load((ROOT / "deploy" / "values.yaml").read_text(encoding="utf-8"))
    text = CONFIG.read_text(encoding="utf-8")
    single = values["singleuser"]
    guarantee = single["memory"]["guarantee"]
    assert f'"ARGKIT_MEM_GUARANTEE", "{guarantee}"' in text  # one figure, from the benchmark
    mount = "/srv/handin"
    assert single["extraEnv"]["ARGKIT_HANDIN"] == mount
    hook = values["hub"]["extraConfig"]["argkit-handin"]
    assert f'"mountPath": "{mount}", "subPath": "{{username}}"' in hook
    assert f'"mountPath": "{mount}", "readOnly": True' in hook
    compile(hook, "extraConfig", "exec")  # the hub runs it
    assert values["cull"]["enabled"] is True
    pvc = yaml.safe_load((ROOT / "deploy" / "handin-pvc.yaml").read_text(encoding="utf-8"))
    assert pvc["spec"]["accessModes"] == ["ReadWriteMany"]
    assert single["storage"]["extraVolumes"][0]["persistentVolumeClaim"]["claimName"] == pvc["metadata"]["name"]
