"""A long fuzz campaign with counts: cases, crashing cases (by kind) and hangs.

The same mutations and checks as tests/test_fuzz.py (tests/strategies.py ``mutate``,
tests/fuzzing.py ``check_case``), driven by a seeded ``random.Random`` instead of Hypothesis, in a
worker process that is killed and restarted when a case runs past ``--timeout`` (a hang) or dies
(memory limit, crash). ``--src`` runs another argkit (e.g. an old commit's ``src/``) to compare.

    python tools/fuzz_campaign.py --cases 20000 --seed 1
    git worktree add ../argkit-old <commit> && python tools/fuzz_campaign.py --src ../argkit-old/src --cases 20000
"""

from __future__ import annotations

import argparse
import collections
import contextlib
import json
import os
import random
import re
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))


def _worker(folder: str) -> None:
    import resource

    # A map that reads /dev/zero must not take the machine's memory with it.
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
    from fuzzing import check_case, make_folder

    make_folder(Path(folder))
    for line in sys.stdin:
        case = json.loads(line)
        data = bytes.fromhex(case["hex"]) if case["hex"] is not None else None
        fails = check_case(Path(folder), case["name"], data, cli=True, quotes=case.get("quotes", False),
                           collect=case.get("collect", True))
        sys.stdout.write(json.dumps({"fails": fails}) + "\n")
        sys.stdout.flush()


class _Worker:
    def __init__(self, folder: Path, src: str | None):
        env = dict(os.environ)
        if src:
            env["PYTHONPATH"] = src + os.pathsep + env.get("PYTHONPATH", "")
        self.p = subprocess.Popen(
            [sys.executable, __file__, "--worker", str(folder)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, start_new_session=True)

    def run(self, name: str, data: bytes | None, timeout: float, quotes: bool = False,
            collect: bool = True) -> list[str] | str:
        assert self.p.stdin is not None and self.p.stdout is not None
        case = {"name": name, "hex": None if data is None else data.hex(), "quotes": quotes, "collect": collect}
        try:
            self.p.stdin.write(json.dumps(case) + "\n")
            self.p.stdin.flush()
        except BrokenPipeError:
            return "died"
        ready, _, _ = select.select([self.p.stdout], [], [], timeout)
        if not ready:
            return "hang"
        line = self.p.stdout.readline()
        if not line:
            return "died"
        return json.loads(line)["fails"]

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.p.pid, 9)
        self.p.wait()


def _kind(fail: str) -> str:
    """A failure without its details: 'validate() raised ValueError', 'argkit table: internal error'."""
    fail = re.sub(r"(raised \w+):.*", r"\1", fail, flags=re.S)
    fail = re.sub(r"(argkit \w+): argkit: internal error: (\w+).*", r"\1: internal error \2", fail, flags=re.S)
    fail = re.sub(r"(refused it): .*", r"\1", fail, flags=re.S)
    return fail[:120]


def _unknown_parents(n: int) -> bytes:
    lines = ["title: T", "nodes:", "- id: root", "  text: R"]
    for i in range(n):
        lines += [f"- id: node{i}", f"  parent: missing{i}", "  stance: pro", "  text: x"]
    return ("\n".join(lines) + "\n").encode()


def _map(text: str, extra: str = "") -> bytes:
    return (f"title: T\n{extra}nodes:\n- id: t\n  text: {text}\n").encode()


def hand_made() -> list[tuple[str, str, bytes | None, bool]]:
    """The findings of issue 16 as cases: (label, file name, bytes or None for a prepared file, check-quotes)."""
    cases: list[tuple[str, str, bytes | None, bool]] = [
        ("FIFO as a map", "fifo.yaml", None, False),
        ("link to /dev/zero as a map", "zero.yaml", None, False),
        ("link to /proc/self/environ as a map", "environ.yaml", None, False),
        ("symlink loop as a map", "loop.yaml", None, False),
        ("15,000 unknown parents (920 KB)", "case.yaml", _unknown_parents(15000), False),
        ("4,000 unknown parents", "case.yaml", _unknown_parents(4000), False),
        ("18 KB quote not in the source", "case.yaml", (
            "title: T\nsources:\n- id: r\nnodes:\n- id: t\n  text: x\n  source: r\n  quote:\n"
            "    text: " + " ".join(("alpha", "beta", "gamma", "omega")[i % 4] + "x" for i in range(3000))
            + "\n").encode(), True),
        ("NUL byte", "case.yaml", _map("a\x00b"), False),
        ("BEL byte", "case.yaml", _map("a\x07b"), False),
        ("BOM-less UTF-16", "case.yaml", _map("tea").decode().encode("utf-16-le"), False),
        ("terminal escapes in a value", "case.yaml", _map('"\\x1b]0;owned\\x07\\x1b[2J"'), False),
        ("lone surrogate", "case.yaml", _map('"a\\ud800b"'), False),
        ("bidi override", "case.yaml", _map("a\u202eb"), False),
        ("argkit: true", "case.yaml", _map("x", "argkit: true\n"), False),
        ("extends: /etc/passwd", "case.yaml", _map("x", "extends: /etc/passwd\n"), False),
        ("extends: symlink loop", "case.yaml", _map("x", "extends: loop.yaml\n"), False),
        ("extends: FIFO", "case.yaml", _map("x", "extends: fifo.yaml\n"), False),
        ("extends: 300-character name", "case.yaml", _map("x", "extends: " + "x" * 300 + ".yaml\n"), False),
        ("4,400-digit integer", "case.yaml", _map("9" * 4400), False),
    ]
    for value in ("2001-13-45", "2001-12-14", "!!bool maybe", "!!float abc", "!!int abc", "!!timestamp x"):
        cases.append((f"text: {value}", "case.yaml", _map(value), False))
    return cases


def _hand_made(a: argparse.Namespace) -> int:
    folder = Path(tempfile.mkdtemp(prefix="argkit-fuzz-"))
    worker = _Worker(folder, a.src)
    rows = []
    for label, name, data, quotes in hand_made():
        t = time.monotonic()
        result = worker.run(name, data, a.timeout, quotes)
        took = time.monotonic() - t
        if isinstance(result, str):
            worker.kill()
            worker = _Worker(folder, a.src)
            outcome = result
        else:
            outcome = "crash: " + "; ".join(result)[:200] if result else "ok"
        rows.append({"case": label, "outcome": outcome, "seconds": round(took, 1)})
        print(f"{label:45} {outcome[:120]} ({took:.1f} s)", file=sys.stderr, flush=True)
    worker.kill()
    summary = {"cases": len(rows), "crashing": sum(r["outcome"].startswith("crash") for r in rows),
               "hangs": sum(r["outcome"] == "hang" for r in rows),
               "died": sum(r["outcome"] == "died" for r in rows), "timeout_s": a.timeout,
               "src": a.src or str(ROOT / "src"), "rows": rows}
    print(json.dumps(summary, indent=2))
    if a.json:
        Path(a.json).write_text(json.dumps(summary, indent=2), encoding="utf-8")
    return 0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=30.0, help="seconds before a case counts as a hang")
    ap.add_argument("--kind", choices=("yaml", "argdown", "both"), default="both")
    ap.add_argument("--src", help="run the argkit in this src/ folder instead")
    ap.add_argument("--json", help="write the counts and one example per kind of failure here")
    ap.add_argument("--no-collect", action="store_true",
                    help="leave 'argkit collect' out of the checks (to compare with an old argkit fairly)")
    ap.add_argument("--hand-made", action="store_true",
                    help="run the hand-made findings of issue 16 once each instead of mutations")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    a = ap.parse_args()
    if a.worker:
        _worker(a.worker)
        return 0
    if a.hand_made:
        return _hand_made(a)

    from fuzzing import argdown_seeds, yaml_seeds
    from strategies import mutate

    rng = random.Random(a.seed)
    seeds = {"yaml": yaml_seeds(), "argdown": argdown_seeds()}
    kinds = ["yaml", "argdown"] if a.kind == "both" else [a.kind]
    folder = Path(tempfile.mkdtemp(prefix="argkit-fuzz-"))
    worker = _Worker(folder, a.src)
    counts: collections.Counter[str] = collections.Counter()
    examples: dict[str, str] = {}
    crashed = hangs = died = 0
    per_kind: collections.Counter[str] = collections.Counter()
    start = time.monotonic()
    for i in range(a.cases):
        kind = kinds[i % len(kinds)]
        data = mutate(rng.choice(seeds[kind]), rng.randint)
        name = "case.yaml" if kind == "yaml" else "case.argdown"
        result = worker.run(name, data, a.timeout, collect=not a.no_collect)
        per_kind[kind] += 1
        if isinstance(result, str):
            worker.kill()
            worker = _Worker(folder, a.src)
            if result == "hang":
                hangs += 1
            else:
                died += 1
            counts[f"{kind}: {result}"] += 1
            examples.setdefault(f"{kind}: {result}", data[:2000].decode("utf-8", "backslashreplace"))
            continue
        if result:
            crashed += 1
            for k in {_kind(f) for f in result}:
                counts[f"{kind}: {k}"] += 1
                examples.setdefault(f"{kind}: {k}", data[:2000].decode("utf-8", "backslashreplace"))
        if (i + 1) % 500 == 0:
            print(f"{i + 1} cases, {crashed} crashing, {hangs} hangs, {died} died "
                  f"({time.monotonic() - start:.0f} s)", file=sys.stderr, flush=True)
    worker.kill()
    summary = {"cases": a.cases, "by_kind": dict(per_kind), "crashing_cases": crashed, "hangs": hangs,
               "worker_died": died, "seed": a.seed, "timeout_s": a.timeout, "collect": not a.no_collect,
               "src": a.src or str(ROOT / "src"), "seconds": round(time.monotonic() - start),
               "failures": dict(counts.most_common())}
    print(json.dumps(summary, indent=2))
    if a.json:
        Path(a.json).write_text(json.dumps({**summary, "examples": examples}, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
