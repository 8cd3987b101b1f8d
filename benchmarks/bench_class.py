"""A seminar at class scale on this machine: N students on a real JupyterHub (the deployment's config).

For N = 8 and 16 (or --students ...): every student logs in, starts a server and opens notebook 05
with the editor at the same moment; then all of them add claims at once; then all hand in while the
teacher's class map looks at the folder every 2 s (as the page does). Prints, per N:

- memory per student, server + kernel with the editor open: RSS (what `ps` shows) and PSS (shared
  pages split between the processes sharing them: the honest "per student" cost);
- CPU seconds per student (server + kernel) to reach the first map;
- time from "start my server" to the first map (median, slowest);
- Add (click -> new map on the widget, timed in the kernel) median and p95, all students adding;
- delay from a hand-in being written to the class map showing it (median, slowest).

Needs what tests/test_hub.py needs (jupyterhub, configurable-http-proxy). Uses only 127.0.0.1 and
stops everything it started.

    python benchmarks/bench_class.py             # N = 8 and 16
    python benchmarks/bench_class.py --students 4
"""

from __future__ import annotations

import argparse
import json
import os
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
times = []
for i in range(ADDS):
    ed.select("cox" if i % 2 else "r_history")
    ed.action.value = "con"
    ed.text.value = f"Claim {i} of {ed.author}: the partnership rests on a shared rival."
    t = time.perf_counter()
    ed.add_button.click()
    times.append(time.perf_counter() - t)
print(json.dumps(times))
""".replace("ADDS", str(ADDS))

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
    """RSS, PSS (MB) and CPU seconds of a student's server and of their kernel."""
    out = {"server_rss": 0.0, "kernel_rss": 0.0, "rss": 0.0, "pss": 0.0, "server_cpu": 0.0, "kernel_cpu": 0.0}
    for p in _processes(name):
        try:
            full = p.memory_full_info()
            t = p.cpu_times()
            kind = "kernel" if "ipykernel" in " ".join(p.cmdline()) else "server"
        except psutil.Error:
            continue
        out[f"{kind}_rss"] += full.rss / 2**20
        out["rss"] += full.rss / 2**20
        out["pss"] += getattr(full, "pss", full.rss) / 2**20
        out[f"{kind}_cpu"] += t.user + t.system
    return out


def _p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, round(0.95 * (len(xs) - 1)))]


def run(n: int) -> dict[str, float]:
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

        def start(name: str) -> tuple[str, str, dict, float, dict]:
            go.wait()  # everyone clicks "Start my server" at once
            t0 = time.monotonic()
            token = th._start_server(hub, name, sessions[name])
            kernel = th._open_course(hub, name, token)
            edit = json.loads(th._run(hub, name, token, kernel, FIRST_MAP).strip())
            return name, token, kernel, time.monotonic() - t0, edit

        with ThreadPoolExecutor(n) as pool:
            started = list(pool.map(start, students))
        mem = {s: _memory(s) for s in students}

        def add(row: tuple[str, str, dict, float, dict]) -> list[float]:
            name, token, kernel, _, _ = row
            return json.loads(th._run(hub, name, token, kernel, ADD).strip())

        with ThreadPoolExecutor(n) as pool:
            adds = [t for ts in pool.map(add, started) for t in ts]

        watch: dict = {}
        watcher = threading.Thread(target=lambda: watch.update(json.loads(th._run(
            hub, th.TEACHER, t_token, t_kernel, WATCH % (n, TICK), timeout=400).strip())))
        watcher.start()
        time.sleep(TICK)  # the class map is open before the first hand-in

        def hand_in(row: tuple[str, str, dict, float, dict]) -> str:
            name, token, kernel, _, _ = row
            return json.loads(th._run(hub, name, token, kernel, HAND_IN).strip())

        with ThreadPoolExecutor(n) as pool:
            paths = list(pool.map(hand_in, started))
        watcher.join()
        assert len(set(paths)) == n, paths
        delays = list(watch["delays"].values())
        assert len(delays) == n, watch
        first = [r[3] for r in started]
        def med(key: str) -> float:
            return statistics.median(m[key] for m in mem.values())

        return {
            "students": n,
            "rss_mb": med("rss"),
            "pss_mb": med("pss"),
            "server_rss_mb": med("server_rss"),
            "kernel_rss_mb": med("kernel_rss"),
            "cpu_s": med("server_cpu") + med("kernel_cpu"),
            "server_cpu_s": med("server_cpu"),
            "kernel_cpu_s": med("kernel_cpu"),
            "edit_cell_cpu_s": statistics.median(r[4]["edit_cpu"] for r in started),
            "first_map_median_s": statistics.median(first),
            "first_map_max_s": max(first),
            "edit_cell_median_s": statistics.median(r[4]["edit_s"] for r in started),
            "add_median_ms": 1000 * statistics.median(adds),
            "add_p95_ms": 1000 * _p95(adds),
            "handin_delay_median_s": statistics.median(delays),
            "handin_delay_max_s": max(delays),
            "poll_max_s": watch["poll_s"],
            "poll_cpu_max_s": watch["poll_cpu_s"],
        }
    finally:
        th.stop_hub(proc)
        shutil.rmtree(tmp, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--students", type=int, nargs="+", default=[8, 16])
    args = ap.parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.1f} GiB; "
          f"load average {os.getloadavg()[0]:.1f} at start")
    rows = []
    for n in args.students:
        r = run(n)
        rows.append(r)
        print(json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}), flush=True)
    print()
    print("| students | RSS / PSS per student (server + kernel) | server / kernel RSS "
          "| CPU s per student to first map: server / kernel (editor cell) "
          "| start -> first map, median / slowest | Add median / p95 | hand-in -> class map, median / slowest |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        print(f"| {r['students']} | {r['rss_mb']:.0f} / {r['pss_mb']:.0f} MB "
              f"| {r['server_rss_mb']:.0f} / {r['kernel_rss_mb']:.0f} MB "
              f"| {r['server_cpu_s']:.1f} / {r['kernel_cpu_s']:.1f} ({r['edit_cell_cpu_s']:.1f}) "
              f"| {r['first_map_median_s']:.1f} / {r['first_map_max_s']:.1f} s "
              f"| {r['add_median_ms']:.0f} / {r['add_p95_ms']:.0f} ms "
              f"| {r['handin_delay_median_s']:.1f} / {r['handin_delay_max_s']:.1f} s |")
    for r in rows:
        print(f"N={r['students']}: the class map's slowest look at the folder took {r['poll_max_s']:.1f} s "
              f"({r['poll_cpu_max_s']:.2f} CPU-s); the editor cell {r['edit_cell_median_s']:.1f} s "
              f"({r['edit_cell_cpu_s']:.2f} CPU-s)")
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
