"""A seminar at class scale on this machine: N students on a real JupyterHub (the deployment's config).

For N = 8 and 16 (or --students ...): every student logs in, starts a server and opens notebook 05
with the editor at the same moment; then all of them add claims at once (a burst: everyone clicks
Add ten times as fast as the kernel answers), then paced (each student one Add every 2 s, at a
random moment, clicking 0.8 s after the last key: far more than a class typing); then all hand in while the teacher's class map looks
at the folder every 2 s (as the page does). Prints, per N:

- memory per student with the editor open, server + kernel, each split: RSS (what `ps` shows) and
  PSS (shared pages split between the processes sharing them: the honest "per student" cost);
- CPU-seconds per student: the server's start, the kernel's start with the editor's first map, and
  the editor cell alone (load-insensitive: compare these while the machine is busy);
- server start -> first map (from "Start my server" to the map drawn) and editor open -> first map
  (from opening the notebook, which starts its kernel, to the map drawn): median, p95, slowest;
- Add (click -> new map on the widget, timed in the kernel): median and p95, burst and paced, and
  its CPU milliseconds;
- delay from a hand-in being written to the class map showing it (median, p95, slowest), and the
  CPU-seconds of the class map's slowest look at the folder.

Needs what tests/test_hub.py needs (jupyterhub, configurable-http-proxy). Uses only 127.0.0.1 and
stops everything it started.

    python benchmarks/bench_class.py                 # N = 8 and 16, about 4 minutes on a quiet machine
    python benchmarks/bench_class.py --students 4 --quick
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import psutil  # noqa: E402

import test_hub as th  # noqa: E402  # the hub and the student's steps, as the test runs them

ADDS = 10
PACE = 2.0  # seconds between one student's Adds in the paced round
PAUSE = 0.8  # seconds between the last key and the click, in the paced round
TICK = 2.0  # seconds between the class map's looks at the folder (the widget's default)

FIRST_MAP = """
import json, resource, time
def _cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
t, c = time.perf_counter(), _cpu()
import argkit
ed = argkit.edit("../argmaps/cox-thesis.yaml")
assert "<svg" in ed.view.svg
print(json.dumps({"edit_s": time.perf_counter() - t, "edit_cpu": _cpu() - c}))
"""

ADD = """
import json, time
times, cpu = [], []
for i in range(ADDS):
    ed.select("cox" if i % 2 else "r_history")
    ed.action.value = "con"
    ed.text.value = f"Claim {i} of {ed.author}: the partnership rests on a shared rival."
    t, c = time.perf_counter(), time.process_time()
    ed.add_button.click()
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
print(json.dumps({"s": times, "cpu": cpu}))
"""

PACED = """
import asyncio, json, time
times, cpu = [], []
await asyncio.sleep(OFFSET)
start = time.perf_counter()
for i in range(ADDS):
    await asyncio.sleep(max(0, start + i * PACE - time.perf_counter()))
    ed.select("cox" if i % 2 else "r_history")
    ed.action.value = "con"
    ed.text.value = f"Paced claim {i} of {ed.author}: words are cheap."
    await asyncio.sleep(PAUSE)  # the student stops typing, then clicks (the kernel's loop runs meanwhile)
    t, c = time.perf_counter(), time.process_time()
    ed.add_button.click()
    times.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
print(json.dumps({"s": times, "cpu": cpu}))
"""

HAND_IN = """
import json
print(json.dumps(str(ed.hand_in())))
"""

WATCH = """
import json, time, argkit
cm = argkit.class_map(interval=0)
seen, polls, cpu = {}, [], []
deadline = time.time() + 300
while len(seen) < %d and time.time() < deadline:
    time.sleep(%f)  # the page's tick
    t, c = time.perf_counter(), time.process_time()
    cm.poll()
    polls.append(time.perf_counter() - t)
    cpu.append(time.process_time() - c)
    now = time.time()
    for h in cm.handins:
        seen.setdefault(h.student, now - h.mtime_ns / 1e9)
print(json.dumps({"delays": seen, "poll_s": max(polls, default=0), "poll_cpu_s": max(cpu, default=0)}))
"""


def _processes(name: str) -> list[psutil.Process]:
    out = []
    for p in psutil.process_iter():
        try:
            if p.environ().get("JUPYTERHUB_USER") == name:
                out.append(p)
        except (psutil.Error, OSError):
            continue
    return out


def _memory(name: str) -> dict[str, float]:
    """RSS and PSS (MB) and CPU seconds of a student's server and of their kernel."""
    out = {f"{kind}_{what}": 0.0 for kind in ("server", "kernel") for what in ("rss", "pss", "cpu")}
    for p in _processes(name):
        try:
            full = p.memory_full_info()
            t = p.cpu_times()
            kind = "kernel" if "ipykernel" in " ".join(p.cmdline()) else "server"
        except psutil.Error:
            continue
        out[f"{kind}_rss"] += full.rss / 2**20
        out[f"{kind}_pss"] += getattr(full, "pss", full.rss) / 2**20
        out[f"{kind}_cpu"] += t.user + t.system
    out["rss"] = out["server_rss"] + out["kernel_rss"]
    out["pss"] = out["server_pss"] + out["kernel_pss"]
    return out


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def run(n: int, adds: int = ADDS) -> dict[str, float]:
    chp = th._chp()
    tmp = Path(tempfile.mkdtemp(prefix=f"argkit-bench-class-{n}-"))
    hub, proc = th.start_hub(tmp, chp)
    try:
        teacher = th._login(hub, th.TEACHER)
        t_token = th._start_server(hub, th.TEACHER, teacher)
        t_kernel = th._open_course(hub, th.TEACHER, t_token)
        th._run(hub, th.TEACHER, t_token, t_kernel, "import argkit")
        students = [f"student{i:02d}" for i in range(1, n + 1)]
        sessions = {s: th._login(hub, s) for s in students}
        go = threading.Barrier(n)

        def start(name: str) -> tuple[str, str, dict, float, float, dict]:
            go.wait()  # everyone clicks "Start my server" at once
            t0 = time.monotonic()
            token = th._start_server(hub, name, sessions[name])
            t1 = time.monotonic()  # the server is up: JupyterLab opens notebook 05, its kernel starts
            kernel = th._open_course(hub, name, token)
            edit = json.loads(th._run(hub, name, token, kernel, FIRST_MAP).strip())
            t2 = time.monotonic()
            return name, token, kernel, t2 - t0, t2 - t1, edit

        with ThreadPoolExecutor(n) as pool:
            started = list(pool.map(start, students))
        mem = {s: _memory(s) for s in students}

        def add(row: tuple, code: str) -> dict[str, list[float]]:
            name, token, kernel = row[:3]
            return json.loads(th._run(hub, name, token, kernel, code, timeout=400).strip())

        burst_code = ADD.replace("ADDS", str(adds))
        with ThreadPoolExecutor(n) as pool:
            burst = list(pool.map(lambda r: add(r, burst_code), started))
        rng = random.Random(n)
        with ThreadPoolExecutor(n) as pool:
            paced = list(pool.map(lambda r: add(r, PACED.replace("ADDS", str(adds)).replace("PACE", str(PACE))
                                                .replace("OFFSET", f"{rng.uniform(0, PACE - PAUSE):.3f}")
                                                .replace("PAUSE", str(PAUSE))), started))

        watch: dict = {}
        watcher = threading.Thread(target=lambda: watch.update(json.loads(th._run(
            hub, th.TEACHER, t_token, t_kernel, WATCH % (n, TICK), timeout=400).strip())))
        watcher.start()
        time.sleep(TICK)  # the class map is open before the first hand-in

        def hand_in(row: tuple) -> str:
            name, token, kernel = row[:3]
            return json.loads(th._run(hub, name, token, kernel, HAND_IN).strip())

        with ThreadPoolExecutor(n) as pool:
            paths = list(pool.map(hand_in, started))
        watcher.join()
        assert len(set(paths)) == n, paths
        delays = list(watch["delays"].values())
        assert len(delays) == n, watch

        def med(key: str) -> float:
            return statistics.median(m[key] for m in mem.values())

        def flat(rows: list[dict[str, list[float]]], key: str) -> list[float]:
            return [x for r in rows for x in r[key]]

        first = [r[3] for r in started]
        opened = [r[4] for r in started]
        row: dict[str, float] = {"students": n}
        for what in ("rss", "pss"):
            for kind in ("", "server_", "kernel_"):
                row[f"{kind}{what}_mb"] = med(f"{kind}{what}")
        row.update({
            "server_cpu_s": med("server_cpu"),
            "kernel_cpu_s": med("kernel_cpu"),
            "edit_cell_cpu_s": statistics.median(r[5]["edit_cpu"] for r in started),
            "first_map_median_s": statistics.median(first),
            "first_map_p95_s": _p95(first),
            "first_map_max_s": max(first),
            "open_map_median_s": statistics.median(opened),
            "open_map_p95_s": _p95(opened),
            "open_map_max_s": max(opened),
            "edit_cell_median_s": statistics.median(r[5]["edit_s"] for r in started),
            "add_median_ms": 1000 * statistics.median(flat(burst, "s")),
            "add_p95_ms": 1000 * _p95(flat(burst, "s")),
            "add_paced_median_ms": 1000 * statistics.median(flat(paced, "s")),
            "add_paced_p95_ms": 1000 * _p95(flat(paced, "s")),
            "add_cpu_median_ms": 1000 * statistics.median(flat(burst, "cpu")),  # all of an Add's work
            "handin_delay_median_s": statistics.median(delays),
            "handin_delay_p95_s": _p95(delays),
            "handin_delay_max_s": max(delays),
            "poll_max_s": watch["poll_s"],
            "poll_cpu_max_s": watch["poll_cpu_s"],
        })
        return row
    finally:
        th.stop_hub(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, nargs="+", default=[8, 16])
    ap.add_argument("--quick", action="store_true", help=f"3 Adds per student and round instead of {ADDS}")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB; "
          f"load average {os.getloadavg()[0]:.1f} at start")
    rows = []
    for n in args.students:
        r = run(n, adds=3 if args.quick else ADDS)
        rows.append(r)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}), flush=True)
    print()
    print("Load-insensitive (per student, median; memory with the editor open):")
    print()
    print("| students | RSS / PSS, server + kernel | server RSS / PSS | kernel RSS / PSS "
          "| CPU-s: server start / kernel start + first map (editor cell) | Add CPU | class map's look, CPU |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['students']} | {r['rss_mb']:.0f} / {r['pss_mb']:.0f} MB "
              f"| {r['server_rss_mb']:.0f} / {r['server_pss_mb']:.0f} MB "
              f"| {r['kernel_rss_mb']:.0f} / {r['kernel_pss_mb']:.0f} MB "
              f"| {r['server_cpu_s']:.2f} / {r['kernel_cpu_s']:.2f} ({r['edit_cell_cpu_s']:.2f}) "
              f"| {r['add_cpu_median_ms']:.0f} ms | {r['poll_cpu_max_s']:.2f} s |")
    print()
    print("Times (median / p95 / slowest; they grow with the machine's load):")
    print()
    print("| students | server start -> first map | editor open -> first map "
          "| Add, burst: median / p95 | Add, paced: median / p95 | hand-in -> class map |")
    print("| --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['students']} "
              f"| {r['first_map_median_s']:.1f} / {r['first_map_p95_s']:.1f} / {r['first_map_max_s']:.1f} s "
              f"| {r['open_map_median_s']:.1f} / {r['open_map_p95_s']:.1f} / {r['open_map_max_s']:.1f} s "
              f"| {r['add_median_ms']:.0f} / {r['add_p95_ms']:.0f} ms "
              f"| {r['add_paced_median_ms']:.0f} / {r['add_paced_p95_ms']:.0f} ms "
              f"| {r['handin_delay_median_s']:.1f} / {r['handin_delay_p95_s']:.1f} / {r['handin_delay_max_s']:.1f} s |")
    print()
    print(f"load average {os.getloadavg()[0]:.1f} at the end; {time.monotonic() - t0:.0f} s in all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
