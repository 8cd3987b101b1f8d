"""Time argkit.evaluate (argkit.semantics) on generated maps of 1k, 10k and 100k claims (target: 100k in <= 1 s).

Run: ``python benchmarks/bench_evaluate.py [--repeat 5]``. Prints, per size, the median of the
runs, the time per claim (flat if evaluation is linear) and the ratio to the previous size.
The maps are random trees (parents among the last 50 claims, so they are deep and wide), half of
the children objections, 5% in linked pairs, plus 1% random ``attacks``, 0.5% ``undercuts``
and one odd cycle of attacks per 1,000 claims (so some claims are UNDEC).
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from argkit.model import ArgumentMap, Node, Relation
from argkit.semantics import evaluate

SIZES = (1_000, 10_000, 100_000)
TARGET = 1.0  # seconds for 100k claims


def generate(n: int, seed: int = 1) -> ArgumentMap:
    rnd = random.Random(seed)
    nodes = [Node("n0", "Contention.")]
    i = 1
    while i < n:
        parent = f"n{rnd.randrange(max(0, i - 50), i)}"
        stance = rnd.choice(("pro", "con"))
        if rnd.random() < 0.05 and i + 1 < n:  # a linked pair
            for j in (i, i + 1):
                nodes.append(Node(f"n{j}", "Co-premise.", parent=parent, stance=stance, link=f"g{i}"))
            i += 2
            continue
        nodes.append(Node(f"n{i}", "Claim.", parent=parent, stance=stance))
        i += 1
    rels = [Relation(f"n{rnd.randrange(n)}", "attacks", f"n{rnd.randrange(n)}") for _ in range(n // 100)]
    rels += [Relation(f"n{rnd.randrange(n)}", "undercuts", f"n{rnd.randrange(1, n)}")
             for _ in range(n // 200)]
    for _ in range(n // 1000):  # odd cycles of attacks, so some claims are UNDEC
        a, b, c = (f"n{rnd.randrange(1, n)}" for _ in range(3))
        rels += [Relation(a, "attacks", b), Relation(b, "attacks", c), Relation(c, "attacks", a)]
    return ArgumentMap(f"Generated {n}", tuple(nodes), tuple(rels))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=5, help="runs per size (the median is shown)")
    a = p.parse_args()
    # CPU time too: on a shared machine the wall clock also counts the other processes' turns.
    print(f"{'claims':>8}  {'median':>9}  {'per claim':>10}  {'ratio':>6}  {'CPU':>9}  labels")
    previous = None
    for n in SIZES:
        m = generate(n)
        times, cpu = [], []
        for _ in range(a.repeat):
            t0, c0 = time.perf_counter(), time.process_time()
            lab = evaluate(m)
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        med, med_cpu = statistics.median(times), statistics.median(cpu)
        ratio = f"{med / previous:5.1f}x" if previous else "     -"
        c = lab.counts()
        print(f"{n:>8,}  {med * 1000:>7.1f}ms  {med / n * 1e6:>8.2f}us  {ratio}  {med_cpu * 1000:>7.1f}ms  "
              f"IN={c['IN']} OUT={c['OUT']} UNDEC={c['UNDEC']}")
        previous = med
    verdict = "meets" if med <= TARGET else "MISSES"
    print(f"100k claims: {med:.2f} s ({med_cpu:.2f} s of CPU), {verdict} the target of {TARGET:.0f} s")
    t0 = time.perf_counter()
    for node_id in lab.labels:
        lab.explain(node_id)
    print(f"(explanations are made when asked for: all 100k took {time.perf_counter() - t0:.2f} s more)")


if __name__ == "__main__":
    main()
