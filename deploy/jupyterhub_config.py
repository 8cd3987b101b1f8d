"""JupyterHub for a seminar on one machine: every student gets JupyterLab with the course, and hands in.

Run as root on the class server (see the README's teacher's page):

    python3 -m venv /opt/argkit && /opt/argkit/bin/pip install -r /srv/argkit/requirements.txt
    npm install -g configurable-http-proxy
    /opt/argkit/bin/jupyterhub -f /srv/argkit/deploy/jupyterhub_config.py

- Students log in with their account on the machine (PAM), members of the group ``students``; the
  teacher (group ``teachers``) is the hub's admin.
- Each student's server starts in their home folder, where a copy of the course (``argkit/``) is
  made on their first login; their work is saved in ``argkit/notebooks/work/``.
- The hand-in folder (``ARGKIT_HANDIN``, default ``/srv/argkit-handin``) is shared: a student can
  create their own file in it, but cannot list it, read another student's file, or replace or
  delete a file someone else handed in (sticky bit, like ``/tmp``). The teachers' group can read
  every file (the folder is setgid ``teachers`` and students' files are created ``0640``).
  ``argkit.class_map()`` in a teacher's notebook shows the class live.

Every setting can be changed by environment variables (``ARGKIT_*`` below), so the same file
runs the hub's own test on 127.0.0.1 with throwaway users.
"""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

c = get_config()  # type: ignore[name-defined]  # noqa: F821 - JupyterHub provides it

COURSE = Path(os.environ.get("ARGKIT_COURSE", "/srv/argkit"))  # a clone of this repository
HANDIN = Path(os.environ.get("ARGKIT_HANDIN", "/srv/argkit-handin"))
STUDENTS = os.environ.get("ARGKIT_STUDENTS_GROUP", "students")
TEACHERS = os.environ.get("ARGKIT_TEACHERS_GROUP", "teachers")
# Per student (server + kernel with the editor open), measured by benchmarks/bench_class.py.
MEM_GUARANTEE = os.environ.get("ARGKIT_MEM_GUARANTEE", "192M")
MEM_LIMIT = os.environ.get("ARGKIT_MEM_LIMIT", "1G")

c.JupyterHub.bind_url = os.environ.get("ARGKIT_HUB_URL", "http://:8000")
c.JupyterHub.authenticator_class = os.environ.get("ARGKIT_HUB_AUTHENTICATOR", "pam")
c.JupyterHub.spawner_class = os.environ.get("ARGKIT_HUB_SPAWNER", "localprocess")
c.JupyterHub.db_url = os.environ.get("ARGKIT_HUB_DB", "sqlite:////srv/jupyterhub/jupyterhub.sqlite")
c.JupyterHub.cookie_secret_file = os.environ.get("ARGKIT_HUB_COOKIE_SECRET",
                                                 "/srv/jupyterhub/jupyterhub_cookie_secret")

# Who may log in: the class and its teachers; teachers administer the hub.
c.LocalAuthenticator.allowed_groups = {STUDENTS, TEACHERS}  # groups of the machine (PAM)
c.PAMAuthenticator.admin_groups = {TEACHERS}

# The students' servers: JupyterLab, opening the course's first notebook.
c.Spawner.default_url = "/lab/tree/argkit/notebooks/00-start-here.ipynb"
c.Spawner.notebook_dir = "~"
c.Spawner.environment = {"ARGKIT_HANDIN": str(HANDIN), "MPLBACKEND": "Agg",
                         "ARGKIT_ENGINE_CACHE": str(COURSE / ".cache" / "engine")}
c.Spawner.mem_guarantee = MEM_GUARANTEE  # what the spawner reserves (enforced by Kubernetes, not here)
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.start_timeout = 120  # a class logging in at once on a small machine
c.Spawner.http_timeout = 120
# jupyterhub-singleuser without the hub's database layer and a grammar it never uses (about
# 40 MB and 2.5 CPU-seconds less per student), creating files 0640 so hand-ins are readable by the
# teachers' group, not by other students: see deploy/singleuser.py.
c.Spawner.cmd = [sys.executable, str(Path(__file__).resolve().parent / "singleuser.py")]
# Kernels talk to their server over Unix sockets, not TCP ports: with a whole class starting
# kernels at once on one machine, two kernels can pick the same free port and one dies
# ("Address already in use"; seen in the hub test). The sockets live in the user's Jupyter
# runtime folder (in the home; if homes are on NFS, set JUPYTER_RUNTIME_DIR to a local folder).
c.Spawner.args = ["--KernelManager.transport=ipc"]


def _owner(spawner) -> tuple[int, int] | None:
    """The student's uid and gid on this machine, or None (test users, which are not accounts)."""
    try:
        pw = pwd.getpwnam(spawner.user.name)
    except KeyError:
        return None
    return pw.pw_uid, pw.pw_gid


# The layout engine compiled once for the whole class: every kernel maps this one file (its pages
# are shared between the students' kernels) instead of compiling Graphviz or keeping a copy.
ENGINE_DIR = COURSE / ".cache" / "engine"


def warm_engine_cache() -> Path | None:
    """Lay out one map now, so the compiled layout engine exists before the first student starts.

    Graphviz runs as WebAssembly; compiling it costs a new kernel about 1.5 CPU-seconds and 40 MB.
    The compiled engine goes to ``ENGINE_DIR`` (readable by every student); wasmtime's own cache
    (``~/.cache/wasmtime``) is returned too and each student starts with a copy, in case the
    shared file cannot be used (a different wasmtime in the students' environment).
    """
    code = "import argkit; argkit.to_svg(argkit.parse_map('title: T\\nnodes:\\n- id: t\\n  text: T.\\n'))"
    try:
        subprocess.run([sys.executable, "-c", code], timeout=300, check=False, capture_output=True,
                       env={**os.environ, "ARGKIT_ENGINE_CACHE": str(ENGINE_DIR)})
    except (OSError, subprocess.SubprocessError):
        return None
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "wasmtime"
    return cache if cache.is_dir() else None


ENGINE_CACHE = warm_engine_cache()


def copy_course(spawner) -> None:
    """On a student's first start, put a copy of the course in their home (never over their work)."""
    home = Path(os.path.expanduser(f"~{spawner.user.name}"))
    template = os.environ.get("ARGKIT_HUB_HOME")  # the test's throwaway homes
    if template:
        home = Path(template.format(username=spawner.user.name))
    target = home / "argkit"
    owner = _owner(spawner)
    cache = home / ".cache" / "wasmtime"
    if ENGINE_CACHE is not None and not cache.exists():
        shutil.copytree(ENGINE_CACHE, cache)
        if owner is not None and os.geteuid() == 0:
            for path in (cache.parent, *cache.rglob("*"), cache):
                os.chown(path, *owner)
    if target.exists():
        return
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / ".argkit-copying"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(COURSE / "argmaps", tmp / "argmaps")
    shutil.copytree(COURSE / "notebooks", tmp / "notebooks",
                    ignore=shutil.ignore_patterns("work", ".ipynb_checkpoints"))
    if owner is not None and os.geteuid() == 0:
        for root, dirs, files in os.walk(tmp):
            for name in [*dirs, *files, "."]:
                os.chown(os.path.join(root, name), *owner)
    os.rename(tmp, target)  # all or nothing: a half copy is never taken for the course


def make_handin_folder() -> None:
    """The shared hand-in folder: students may add files, only their owner may replace them."""
    HANDIN.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return  # the test's throwaway hub runs every server as one user: nothing to set
    try:
        gid = grp.getgrnam(TEACHERS).gr_gid
    except KeyError:
        gid = -1
    os.chown(HANDIN, 0, gid)
    # sticky (1000) + setgid teachers (2000); root rwx, teachers rwx, others (students) -wx:
    # students cannot list the folder or touch each other's files.
    os.chmod(HANDIN, 0o3773)


make_handin_folder()
c.Spawner.pre_spawn_hook = copy_course

# Idle servers are stopped after an hour (installed with: pip install jupyterhub-idle-culler).
try:
    import jupyterhub_idle_culler  # noqa: F401
except ImportError:
    pass
else:
    c.JupyterHub.load_roles = [{
        "name": "jupyterhub-idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["jupyterhub-idle-culler"],
    }]
    c.JupyterHub.services = [{
        "name": "jupyterhub-idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600"],
    }]
