"""Hostile input at size: does the work grow linearly? Prints medians and the ratio t(2n) / t(n).

- ``validate`` of a map whose n claims all name unknown parents (the did-you-mean suggestions were
  quadratic: 4,000 took 35 s, 19,000 over 120 s);
- the YAML read alone (libyaml's events under argkit's composer, and the pure-Python parser);
- ``check-quotes``' nearest passage for a quote of n characters that is not in the source (an 18 KB
  quote ran for over 300 s).

A linear stage doubles (ratio ~2) when n doubles; a quadratic one quadruples. The machine is small
and shared: compare ratios, not absolute times.

    python benchmarks/bench_hostile.py
    python benchmarks/bench_hostile.py --sizes 1000 2000 4000 --repeat 3
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import argkit
from argkit import _io
from argkit.quotes import _Text


def unknown_parents(n: int) -> str:
    lines = ["title: T", "nodes:", "- id: root", "  text: R"]
    for i in range(n):
        lines += [f"- id: node{i}", f"  parent: missing{i}", "  stance: pro", "  text: x"]
    return "\n".join(lines) + "\n"


def median(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[1000, 2000, 4000])
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    rng = random.Random(1)
    words = ["alpha", "beta", "gamma", "delta", "sigma", "omega"]
    source = _Text("r", " ".join(rng.choice(words) for _ in range(8000)) + ".")
    rows: dict[str, list[tuple[int, float]]] = {}
    for n in a.sizes:
        p = folder / f"u{n}.yaml"
        text = unknown_parents(n)
        p.write_text(text, encoding="utf-8")
        rows.setdefault("validate, n unknown parents", []).append((n, median(lambda p=p: argkit.validate(p), a.repeat)))
        rows.setdefault("read YAML (libyaml events)", []).append(
            (n, median(lambda t=text: _io.read_yaml(t, None, []), a.repeat)))
        fast = _io._FAST
        _io._FAST = False
        try:
            rows.setdefault("read YAML (pure Python)", []).append(
                (n, median(lambda t=text: _io.read_yaml(t, None, []), a.repeat)))
        finally:
            _io._FAST = fast
        quote = " ".join(rng.choice(words) + "x" for _ in range(n // 6 or 1))
        rows.setdefault("check-quotes nearest passage, quote of ~n chars", []).append(
            (len(quote), median(lambda q=quote: source.nearest(q), a.repeat)))
    for what, points in rows.items():
        print(what)
        prev = None
        for n, t in points:
            ratio = f"  x{t / prev[1]:.2f} for x{n / prev[0]:.1f} size" if prev else ""
            print(f"  n={n:>6}: median {t * 1000:8.1f} ms{ratio}")
            prev = (n, t)


if __name__ == "__main__":
    main()
