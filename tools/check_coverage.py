"""Fail if any module of src/argkit has less line coverage than the floor, after a `pytest --cov` run.

Usage (from the project root; `.ci/run` does both)::

    pytest --cov=argkit --cov-report=        # writes .coverage
    python tools/check_coverage.py           # one line per module; exit 1 if one is under 95%

What is measured: the test process, and the notebooks' kernels (nbval starts coverage in each
kernel when pytest runs with --cov). Not measured: the JupyterLab and JupyterHub servers, the
browser edition and commands run as subprocesses. The unit tests alone reach the floor, so
`pytest tests src/argkit README.md -m "not browser and not hub" --cov=argkit --cov-report=` is
enough to check it locally (CI's full run can only measure more). A module no test imports counts
as 0%.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "argkit"
FLOOR = 95.0


def measure(data_file: Path) -> list[tuple[str, int, int, str]]:
    """(module, statements, missed, the missed lines as ranges) for every .py file of the package."""
    cov = coverage.Coverage(data_file=str(data_file), config_file=str(ROOT / "pyproject.toml"))
    cov.load()
    rows = []
    for path in sorted(PACKAGE.rglob("*.py")):
        _, statements, _, missing, ranges = cov.analysis2(str(path))
        rows.append((path.relative_to(PACKAGE.parent).as_posix(), len(statements), len(missing), ranges))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--floor", type=float, default=FLOOR, help=f"percent per module (default {FLOOR:g})")
    parser.add_argument("--data-file", type=Path, default=ROOT / ".coverage",
                        help="the coverage data a `pytest --cov=argkit` run wrote (default .coverage)")
    args = parser.parse_args(argv)
    if not args.data_file.is_file():
        print(f"{args.data_file}: no coverage data; run `pytest --cov=argkit --cov-report=` first",
              file=sys.stderr)
        return 2
    under = []
    for name, statements, missed, missing in measure(args.data_file):
        percent = 100.0 * (statements - missed) / statements if statements else 100.0
        flag = ""
        if percent < args.floor:
            under.append(name)
            flag = f"  UNDER: lines {missing}"
        print(f"{name:<32} {statements:>5} {missed:>4} {percent:6.1f}%{flag}")
    if under:
        print(f"{len(under)} module(s) under {args.floor:g}% line coverage: {', '.join(under)}. Test what "
              "a user depends on there, or delete the lines if they are dead code.", file=sys.stderr)
        return 1
    print(f"every module has at least {args.floor:g}% line coverage")
    return 0


if __name__ == "__main__":
    sys.exit(main())
