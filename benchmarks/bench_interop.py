"""Time Argdown reading and writing: the largest Argdown peer file and a generated 1,000-statement file.

Run: ``ARGKIT_SHARED=../shared python benchmarks/bench_interop.py [--repeat 7]``. Prints medians:
``read`` is :func:`argkit.argdown.parse_argdown_document` (the text as Argdown sees it), ``to map``
is :func:`argkit.parse_argdown` (read, build and validate the argkit map), ``write`` is
:func:`argkit.generate_argdown` and ``AIF`` is :func:`argkit.to_aif`. For scale: Argdown's own CLI
(1.7.5, Node.js) needs about 1 s per export, mostly start-up, and about 50-110 ms in-process for
~100 nodes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from argkit.aif import to_aif
from argkit.argdown import generate_argdown, parse_argdown, parse_argdown_document
from argkit.model import ArgumentMap, Node, Relation


def generate(n: int, seed: int = 1) -> ArgumentMap:
    """A map of ``n`` claims: a tree with pro/con children, tags, authors, 2% cross-relations."""
    rnd = random.Random(seed)
    nodes = [Node("n0", "The contention of the generated debate.")]
    for i in range(1, n):
        nodes.append(Node(
            f"n{i}", f"Claim {i}: a sentence of ordinary length, with [brackets] and #hash signs.",
            parent=f"n{rnd.randrange(max(0, i - 30), i)}", stance=rnd.choice(("pro", "con")),
            author=rnd.choice((None, "Michael Cox", "Bobo Lo")), tags=("generated",) if i % 7 == 0 else ()))
    rels = {Relation(f"n{rnd.randrange(n)}", rnd.choice(("supports", "attacks")), f"n{rnd.randrange(n)}")
            for _ in range(n // 50)}
    tree = {(x.id, x.parent) for x in nodes}
    rels = {r for r in rels if (r.from_id, r.to_id) not in tree}
    return ArgumentMap(f"Generated {n}", tuple(nodes), tuple(sorted(rels, key=lambda r: (r.from_id, r.to_id))))


def median_ms(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--repeat", type=int, default=7, help="runs per measurement (the median is shown)")
    a = p.parse_args()
    shared = os.environ.get("ARGKIT_SHARED")
    if shared:
        peers = sorted(Path(shared, "peers", "argdown").glob("*.argdown"), key=lambda f: f.stat().st_size)
        f = peers[-1]
        text = f.read_text(encoding="utf-8")
        doc = parse_argdown_document(text)
        print(f"largest peer file: {f.name} ({len(text):,} characters, {len(doc.statements)} statements, "
              f"{len(doc.arguments)} arguments, {len(doc.relations)} relations)")
        print(f"  read   {median_ms(lambda: parse_argdown_document(text), a.repeat):8.2f} ms")
        print(f"  to map {median_ms(lambda: parse_argdown(text), a.repeat):8.2f} ms")
    else:
        print("largest peer file: skipped (set ARGKIT_SHARED to the course's shared/ folder)")
    m = generate(1000)
    text = generate_argdown(m)
    assert parse_argdown(text) == m
    print(f"generated map: 1,000 statements, {len(m.relations)} cross-relations ({len(text):,} characters)")
    print(f"  read   {median_ms(lambda: parse_argdown_document(text), a.repeat):8.2f} ms")
    print(f"  to map {median_ms(lambda: parse_argdown(text), a.repeat):8.2f} ms")
    print(f"  write  {median_ms(lambda: generate_argdown(m), a.repeat):8.2f} ms")
    print(f"  AIF    {median_ms(lambda: to_aif(m), a.repeat):8.2f} ms")
    print("Argdown's own CLI: about 1 s per export (start-up); 50-110 ms in-process for ~100 nodes.")


if __name__ == "__main__":
    main()
