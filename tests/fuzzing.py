"""The fuzz checks, shared by tests/test_fuzz.py (Hypothesis, bounded for CI) and tools/fuzz_campaign.py.

A *case* is one mutated file written into a case folder that also holds what hostile files point
at: ``base.yaml`` (a course map), ``fifo.yaml`` (a named pipe) and ``loop.yaml`` (a symbolic link to
itself). :func:`check_case` runs the library and the CLI on it and returns what went wrong, as
sentences (empty: all held). What must hold, whatever the bytes:

* ``argkit.validate(path)`` returns a list of diagnostics and never raises;
* every CLI command (``collect`` on the case folder too) exits 0, 1 or 2, never with "internal error", and prints no raw control or
  bidi character (nothing reaches a terminal live); ``argkit validate`` agrees with ``validate()``;
* a file ``validate`` passes loads, evaluates, tabulates and converts without an exception;
* an Argdown file is read into a map or refused with argkit's own error.

Hangs are the caller's to bound (a thread in the test, a killed worker in the campaign).
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Raw characters that must never reach a terminal (the CLI prints them as escapes).
_LIVE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")


def yaml_seeds() -> tuple[bytes, ...]:
    """The course maps, the example class's overlays (extending ``base.yaml``) and the bad samples."""
    seeds = [p.read_bytes() for p in sorted((ROOT / "argmaps").glob("*.yaml"))]
    for p in sorted((ROOT / "notebooks" / "class-example").glob("*.yaml")):
        seeds.append(re.sub(rb"(?m)^extends: .*$", b"extends: base.yaml", p.read_bytes()))
    seeds += [p.read_bytes() for p in sorted((ROOT / "tests" / "data" / "invalid").glob("*.yaml"))
              if p.stat().st_size < 100_000]
    return tuple(seeds)


def argdown_seeds() -> tuple[bytes, ...]:
    """The Argdown test files, and the Argdown project's examples when ``ARGKIT_SHARED`` is set."""
    paths = sorted((ROOT / "tests" / "data" / "argdown").glob("*.argdown"))
    shared = os.environ.get("ARGKIT_SHARED")
    if shared and Path(shared, "peers", "argdown").is_dir():
        paths += sorted(Path(shared, "peers", "argdown").glob("*.argdown"))
    return tuple(p.read_bytes() for p in paths)


def make_folder(folder: Path) -> Path:
    """A case folder with the files hostile maps point at."""
    folder.mkdir(parents=True, exist_ok=True)
    base = (ROOT / "argmaps" / "cox-thesis.yaml").read_bytes()
    (folder / "base.yaml").write_bytes(base)
    if not os.path.lexists(folder / "fifo.yaml"):
        os.mkfifo(folder / "fifo.yaml")
    if not os.path.lexists(folder / "loop.yaml"):
        (folder / "loop.yaml").symlink_to("loop.yaml")
    for name, target in (("zero.yaml", "/dev/zero"), ("environ.yaml", "/proc/self/environ")):
        if not os.path.lexists(folder / name):
            (folder / name).symlink_to(target)
    sources = folder / "sources"
    sources.mkdir(exist_ok=True)
    words = ("alpha", "beta", "gamma", "delta", "sigma", "omega")
    (sources / "r.txt").write_text(" ".join(words[i * 7 % 6] for i in range(6000)) + ".\n", encoding="utf-8")
    (sources / "index.yaml").write_text("r: {file: r.txt}\n", encoding="utf-8")
    return folder


def run_cli(argv: list[str]) -> tuple[int | None, str, str, str | None]:
    """``argkit.cli.main(argv)`` with its output captured: (exit code, stdout, stderr, exception)."""
    from argkit.cli import main

    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            rc = main(argv)
    except BaseException as e:  # a crash, reported by the caller
        return None, out.getvalue(), err.getvalue(), f"{type(e).__name__}: {e}"[:300]
    return rc, out.getvalue(), err.getvalue(), None


def _cli_failures(argv: list[str]) -> tuple[list[str], int | None]:
    rc, out, err, exc = run_cli(argv)
    cmd = " ".join(argv[:1])
    if exc is not None:
        return [f"argkit {cmd} raised {exc}"], rc
    fails = []
    if rc not in (0, 1, 2):
        fails.append(f"argkit {cmd} exited {rc}")
    if "internal error" in err:
        fails.append(f"argkit {cmd}: {err.strip().splitlines()[0][:300]}")
    if _LIVE.search(out + err):
        fails.append(f"argkit {cmd} printed a raw control or bidi character")
    return fails, rc


def check_case(folder: Path, name: str, data: bytes | None, *, cli: bool = True,
               quotes: bool = False, collect: bool = True) -> list[str]:
    """Write ``data`` as ``folder/name`` and check it (see the module docstring); the failures.

    ``data=None`` checks ``folder/name`` as it is (the FIFO, a link to /dev/zero); ``quotes`` also
    runs ``argkit check-quotes`` against ``folder/sources``; ``collect=False`` leaves out
    ``argkit collect`` on the folder (whose links to /proc and /dev fail every case of an old argkit).
    """
    path = folder / name
    for stale in folder.glob("out.*"):
        stale.unlink()
    if data is not None:
        path.write_bytes(data)
    if quotes:
        return _cli_failures(["check-quotes", str(path), "--sources", str(folder / "sources")])[0]
    if name.endswith(".argdown"):
        return _check_argdown(folder, path, cli=cli)
    return _check_yaml(folder, path, cli=cli, collect=collect)


def _check_yaml(folder: Path, path: Path, *, cli: bool, collect: bool = True) -> list[str]:
    import argkit
    from argkit.errors import ArgkitError, Diagnostic

    fails: list[str] = []
    try:
        problems = argkit.validate(path)
    except BaseException as e:
        return [f"validate() raised {type(e).__name__}: {str(e)[:300]}"]
    if not isinstance(problems, list) or not all(isinstance(d, Diagnostic) for d in problems):
        fails.append("validate() returned something other than a list of diagnostics")
    if cli:
        f, rc = _cli_failures(["validate", str(path)])
        fails += f
        if rc is not None and (rc == 0) != (not problems):
            fails.append(f"argkit validate exited {rc} but validate() found {len(problems)} problem(s)")
        for argv in (["evaluate", str(path)], ["outline", str(path)], ["table", str(path)],
                     ["convert", str(path), str(folder / "out.argdown")],
                     ["convert", str(path), str(folder / "out.aif.json")],
                     *([["collect", str(folder)]] if collect else [])):
            fails += _cli_failures(argv)[0]
    if problems:
        return fails
    try:
        from argkit import mapfile, semantics

        m = argkit.load(path)
        semantics.evaluate(m)
        mapfile.generate_map(m)
        if not cli:
            from argkit.argdown import generate_argdown

            generate_argdown(m)
    except ArgkitError as e:
        fails.append(f"validate() passed the file but a later stage refused it: {str(e)[:300]}")
    except BaseException as e:
        fails.append(f"validate() passed the file but a later stage raised {type(e).__name__}: {str(e)[:300]}")
    return fails


def _check_argdown(folder: Path, path: Path, *, cli: bool) -> list[str]:
    import argkit
    from argkit.errors import ArgkitError

    fails: list[str] = []
    try:
        from argkit.argdown import read_argdown

        m = read_argdown(path)
    except ArgkitError:
        m = None
    except BaseException as e:
        return [f"read_argdown() raised {type(e).__name__}: {str(e)[:300]}"]
    if m is not None:
        try:
            argkit.validate(m)
        except BaseException as e:
            fails.append(f"validate() of an Argdown map raised {type(e).__name__}: {str(e)[:300]}")
    if cli:
        fails += _cli_failures(["convert", str(path), str(folder / "out.yaml")])[0]
    return fails


def clear(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
