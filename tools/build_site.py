"""Build the course as a static website that runs in the browser (JupyterLite, Pyodide kernel).

Run from the repository root:

    pip install -r site/requirements.txt && python tools/build_site.py

The site lands in ``build/site/`` (``--out`` to change): copy that folder to any web space. It
holds notebooks 00-05 with their committed outputs, the course maps, the Pyodide runtime and every
Python wheel the notebooks need, so the browser asks nothing of any other host (a school firewall
is fine). Notebooks 06 (pandas) and 07 (matplotlib) need libraries with no offline browser
build: they stay in JupyterLab.

Everything comes from the package registries, at pinned versions: the Pyodide runtime from npm
(``npm pack``), wheels from PyPI (``pip download``), PyYAML repacked without its C extension,
argkit built from this checkout. Pyodide's lock file is rewritten to list only these local wheels.
Downloads are cached (``--cache``, default ``~/.cache/argkit-site`` or ``$ARGKIT_SITE_CACHE``), so
a second build needs no network at all.
"""

from __future__ import annotations

import argparse
import base64
import csv
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "site"
PYODIDE_VERSION = "314.0.6"  # the runtime jupyterlite-pyodide-kernel 0.8.6 is made for
PYODIDE_SHA256 = "d78ac549b28a2a58600cd06f44e017024151775f8c6b2d73fab1475400d38ea2"
# The notebooks on the site: 00-05. 06-for-teachers needs pandas and 07-context's timeline picture
# needs matplotlib, which have no browser builds for offline use: they stay in JupyterLab.
ON_SITE = re.compile(r"^0[0-5]-.*\.ipynb$")
# Packages a wheel asks for that the browser must not get: no wasmtime in Pyodide (argkit runs
# graphviz.wasm in the browser), and the widget front-end packages are JupyterLab extensions,
# installed into the site's front end, never imported by the kernel.
OMIT = {"wasmtime", "widgetsnbextension", "jupyterlab-widgets", "pexpect", "psutil"}
# argkit's notebooks use these without naming them in the cell that needs them (extras of argkit).
EXTRA_DEPENDS = {"argkit": ["anywidget", "ipywidgets"]}
# How Pyodide 314 evaluates environment markers.
MARKERS = {
    "sys_platform": "emscripten", "platform_system": "Emscripten", "os_name": "posix",
    "platform_machine": "wasm32", "python_version": "3.14", "python_full_version": "3.14.2",
    "implementation_name": "cpython", "platform_python_implementation": "CPython",
    "platform_release": "", "platform_version": "", "implementation_version": "3.14.2", "extra": "",
}


def log(msg: str) -> None:
    print(f"[build_site] {msg}", flush=True)


def run(cmd: list[str], **kw: object) -> None:
    log(" ".join(cmd))
    subprocess.run(cmd, check=True, **kw)  # type: ignore[call-overload]


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- downloads (cached) ----------------------------------------------------------------------------
def fetch_pyodide(cache: Path) -> Path:
    tgz = cache / f"pyodide-{PYODIDE_VERSION}.tgz"
    if not tgz.exists():
        with tempfile.TemporaryDirectory(dir=cache) as tmp:
            run(["npm", "pack", f"pyodide@{PYODIDE_VERSION}", "--pack-destination", tmp, "--silent"],
                stdout=subprocess.DEVNULL)
            (Path(tmp) / tgz.name).replace(tgz)
    if sha256(tgz) != PYODIDE_SHA256:
        sys.exit(f"build_site: {tgz} is not the pinned Pyodide {PYODIDE_VERSION} (sha256 differs); "
                 "delete it and build again")
    return tgz


def pinned(name: str) -> list[str]:
    lines = (SITE / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("#")[0].strip() for ln in lines if ln.split("#")[0].strip()]


def fetch_wheels(cache: Path) -> list[Path]:
    """The pinned pure-Python wheels from PyPI, into ``cache/wheels`` (only the missing ones)."""
    folder = cache / "wheels"
    folder.mkdir(parents=True, exist_ok=True)
    specs = pinned("wheels.txt")
    have = {canonical(p.name.split("-")[0]) + "==" + p.name.split("-")[1] for p in folder.glob("*.whl")}
    missing = [s for s in specs if canonical(s.split("==")[0]) + "==" + s.split("==")[1] not in have]
    if missing:
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "--python-version", "3.14", "--implementation", "py", "--abi", "none",
             "--platform", "any", "-d", str(folder), *missing])
    wheels = []
    for spec in specs:
        name, version = spec.split("==")
        found = [p for p in folder.glob("*.whl")
                 if canonical(p.name.split("-")[0]) == canonical(name) and p.name.split("-")[1] == version]
        if not found:
            sys.exit(f"build_site: no wheel for {spec} in {folder}")
        wheels.append(found[0])
    return wheels


def fetch_pyyaml(cache: Path, version: str) -> Path:
    """PyYAML has no Pyodide wheel on PyPI: take its wheel for this machine and drop the C part."""
    out = cache / f"pyyaml-{version}-py3-none-any.whl"
    if out.exists():
        return out
    with tempfile.TemporaryDirectory(dir=cache) as tmp:
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "-d", tmp, f"PyYAML=={version}"])
        (src,) = Path(tmp).glob("*.whl")
        repack_pure(src, out)
    return out


def repack_pure(src: Path, out: Path) -> None:
    """Rewrite a wheel as ``py3-none-any`` without its compiled extension modules."""
    files: dict[str, bytes] = {}
    with zipfile.ZipFile(src) as z:
        for name in sorted(z.namelist()):
            top = name.split("/")[0]
            if name.endswith((".so", ".pyd")) or top == "_yaml" or name.endswith("/RECORD"):
                continue
            data = z.read(name)
            if name.endswith(".dist-info/WHEEL"):
                data = (b"Wheel-Version: 1.0\nGenerator: argkit build_site (repacked)\n"
                        b"Root-Is-Purelib: true\nTag: py3-none-any\n")
            if name.endswith(".dist-info/top_level.txt"):
                data = b"yaml\n"
            files[name] = data
    dist_info = next(n.split("/")[0] for n in files if n.endswith(".dist-info/WHEEL"))
    write_wheel(out, files, dist_info)


def write_wheel(out: Path, files: dict[str, bytes], dist_info: str) -> None:
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    for name, data in files.items():
        digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
        writer.writerow([name, f"sha256={digest}", len(data)])
    writer.writerow([f"{dist_info}/RECORD", "", ""])
    files = {**files, f"{dist_info}/RECORD": record.getvalue().encode()}
    tmp = out.with_suffix(".tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)
    tmp.replace(out)


def build_argkit(dest: Path) -> Path:
    with tempfile.TemporaryDirectory() as tmp:
        run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps",
             "-w", tmp, str(ROOT)])
        (whl,) = Path(tmp).glob("argkit-*.whl")
        target = dest / whl.name
        shutil.copyfile(whl, target)
    return target


# -- the lock ---------------------------------------------------------------------------------------
def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def wheel_info(path: Path) -> dict[str, object]:
    from packaging.requirements import Requirement

    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        meta_name = next(n for n in names if n.endswith(".dist-info/METADATA"))
        meta = z.read(meta_name).decode("utf-8")
        top_level = next((n for n in names if n.endswith(".dist-info/top_level.txt")), None)
        if top_level:
            imports = [t for t in z.read(top_level).decode().split() if t and "/" not in t]
        else:
            imports = sorted({n.split("/")[0].removesuffix(".py") for n in names
                              if ".dist-info/" not in n and ".data/" not in n
                              and (n.endswith(".py") or "/" in n)})
    fields: dict[str, list[str]] = {}
    for line in meta.split("\n\n", 1)[0].splitlines():
        if ": " in line and not line.startswith(" "):
            key, value = line.split(": ", 1)
            fields.setdefault(key, []).append(value)
    depends = []
    for raw in fields.get("Requires-Dist", []):
        req = Requirement(raw)
        if req.marker is None or req.marker.evaluate(MARKERS):
            depends.append(canonical(req.name))
    return {"name": fields["Name"][0], "version": fields["Version"][0],
            "imports": sorted(i for i in imports if not i.startswith("_") or i == "_yaml"),
            "depends": depends}


def write_lock(src_lock: Path, out_lock: Path, wheels: list[Path]) -> dict[str, object]:
    """Pyodide's lock file, listing only the wheels beside it (nothing on any other host)."""
    lock = json.loads(src_lock.read_text(encoding="utf-8"))
    infos = {canonical(str(i["name"])): (w, i) for w in wheels for i in [wheel_info(w)]}
    packages: dict[str, object] = {}
    for key, (whl, info) in sorted(infos.items()):
        depends = [d for d in [*info["depends"], *EXTRA_DEPENDS.get(key, [])]  # type: ignore[misc]
                   if d not in OMIT]
        missing = [d for d in depends if d not in infos]
        if missing:
            sys.exit(f"build_site: {whl.name} needs {missing}: add them to site/wheels.txt "
                     "(or to OMIT in tools/build_site.py if the browser must not have them)")
        packages[key] = {
            "name": info["name"], "version": info["version"], "file_name": whl.name,
            "install_dir": "site", "sha256": sha256(whl), "package_type": "package",
            "imports": [i for i in info["imports"] if key != "pyyaml" or i == "yaml"],  # type: ignore[union-attr]
            "depends": sorted(set(depends)), "unvendored_tests": False,
        }
    lock["packages"] = packages
    out_lock.write_text(json.dumps(lock, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return lock


# -- the site ---------------------------------------------------------------------------------------
def stage(lite: Path, cache: Path) -> None:
    """The JupyterLite folder: config, contents, the Pyodide runtime with local wheels and lock."""
    config = {"LiteBuildConfig": {"apps": ["lab"], "federated_extensions": federated_extensions(cache)}}
    (lite / "jupyter_lite_config.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    shutil.copyfile(SITE / "jupyter-lite.json", lite / "jupyter-lite.json")
    shutil.copyfile(SITE / "overrides.json", lite / "overrides.json")

    files = lite / "files"
    (files / "notebooks").mkdir(parents=True)
    for nb in sorted((ROOT / "notebooks").glob("*.ipynb")):
        if ON_SITE.match(nb.name):
            shutil.copyfile(nb, files / "notebooks" / nb.name)
        else:
            log(f"left out {nb.name} (JupyterLab only)")
    shutil.copytree(ROOT / "argmaps", files / "argmaps")
    shutil.copyfile(SITE / "README.md", files / "README.md")

    pyodide = lite / "static" / "pyodide"
    pyodide.mkdir(parents=True)
    with tarfile.open(fetch_pyodide(cache)) as tar:
        for member in tar.getmembers():
            name = member.name.removeprefix("package/")
            keep = name.endswith((".mjs", ".wasm", ".zip", ".json", ".js")) and "/" not in name
            if member.isfile() and keep and name != "package.json":
                with tar.extractfile(member) as f:  # type: ignore[union-attr]
                    (pyodide / name).write_bytes(f.read())

    wheels = fetch_wheels(cache)
    wheels.append(fetch_pyyaml(cache, "6.0.4"))
    wheels.append(build_argkit(pyodide))
    local = []
    for w in wheels:
        if w.parent != pyodide:
            shutil.copyfile(w, pyodide / w.name)
        local.append(pyodide / w.name)
    lock = write_lock(pyodide / "pyodide-lock.json", pyodide / "pyodide-lock.json", local)
    log(f"lock: {len(lock['packages'])} local wheels")  # type: ignore[arg-type]


def federated_extensions(cache: Path) -> list[str]:
    """The front-end extensions, as wheels from PyPI (the build machine's own are ignored)."""
    folder = cache / "extensions"
    folder.mkdir(parents=True, exist_ok=True)
    specs = pinned("extensions.txt")
    have = {p.name for p in folder.glob("*.whl")}
    missing = [s for s in specs if not any(canonical(h.split("-")[0]) == canonical(s.split("==")[0])
                                           and h.split("-")[1] == s.split("==")[1] for h in have)]
    if missing:
        run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--only-binary=:all:",
             "-d", str(folder), *missing])
    return sorted(str(p) for p in folder.glob("*.whl")
                  if any(canonical(p.name.split("-")[0]) == canonical(s.split("==")[0])
                         and p.name.split("-")[1] == s.split("==")[1] for s in specs))


def check_build_tools() -> None:
    from importlib.metadata import PackageNotFoundError, version

    for spec in pinned("requirements.txt"):
        name, want = spec.split("==")
        try:
            have = version(name)
        except PackageNotFoundError:
            have = None
        if have != want:
            sys.exit(f"build_site: needs {name}=={want} (found {have or 'nothing'}); "
                     "run: pip install -r site/requirements.txt")
    if shutil.which("npm") is None:
        sys.exit("build_site: needs npm (for the Pyodide runtime from the npm registry), e.g. "
                 "'apt-get install npm'")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--out", type=Path, default=ROOT / "build" / "site", help="where the site goes")
    default_cache = os.environ.get("ARGKIT_SITE_CACHE") or Path.home() / ".cache" / "argkit-site"
    p.add_argument("--cache", type=Path, default=Path(default_cache), help="download cache")
    a = p.parse_args(argv)
    check_build_tools()
    started = time.monotonic()
    a.cache.mkdir(parents=True, exist_ok=True)
    out = a.out.resolve()
    with tempfile.TemporaryDirectory(prefix="argkit-lite-") as tmp:
        lite = Path(tmp)
        stage(lite, a.cache.resolve())
        if out.exists():
            shutil.rmtree(out)
        epoch = subprocess.run(["git", "-C", str(ROOT), "log", "-1", "--format=%ct"],
                               capture_output=True, text=True, check=False).stdout.strip() or "0"
        cmd = [sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", str(lite),
               "--contents", str(lite / "files"), "--output-dir", str(out), "--no-sourcemaps",
               "--ignore-sys-prefix", f"--source-date-epoch={epoch}"]
        run(cmd, cwd=lite, stdout=subprocess.DEVNULL if not os.environ.get("ARGKIT_SITE_VERBOSE") else None)
    size = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    count = sum(1 for f in out.rglob("*") if f.is_file())
    log(f"site in {out}: {count} files, {size / 1e6:.1f} MB, built in {time.monotonic() - started:.0f} s")
    log(f"try it: python -m http.server -d {out} -b 127.0.0.1 8000, then open http://127.0.0.1:8000/lab/")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
