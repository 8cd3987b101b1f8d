"""Shared fixtures: the course's shared material, and failing on swallowed widget errors."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# Property tests: no per-example deadline on a small shared machine; in CI the examples are drawn
# from a fixed seed so a run is reproducible (locally they stay random and keep exploring).
settings.register_profile(
    "argkit", deadline=None, suppress_health_check=[HealthCheck.too_slow],
    derandomize=bool(os.environ.get("CI")), print_blob=True,
)
settings.load_profile("argkit")

# Browser tests: Playwright's expect() retries for 5 s by default, which a kernel round trip on a
# busy 2-core machine can exceed; a retry that fails at 20 s is a real failure, not a slow one.
try:
    from playwright.sync_api import expect as _expect
except ImportError:  # pragma: no cover - playwright is in requirements.txt
    pass
else:
    _expect.set_options(timeout=20_000)

ROOT = Path(__file__).resolve().parent.parent
ARGMAPS = ROOT / "argmaps"
DATA = Path(__file__).resolve().parent / "data"


def shared_dir(*parts: str) -> Path:
    """A folder of ../shared (the readings, the Argdown peers), or skip with the reason.

    `.ci/run` sets ARGKIT_SHARED; a local run without it skips these tests visibly.
    """
    root = os.environ.get("ARGKIT_SHARED")
    if not root:
        pytest.skip("ARGKIT_SHARED is not set: point it at the course's shared/ folder "
                    "(.ci/run sets it to ../shared) to run the tests that read the source texts")
    path = Path(root, *parts)
    if not path.is_dir():
        pytest.fail(f"ARGKIT_SHARED={root} has no {'/'.join(parts)} folder")
    return path


@pytest.fixture
def sources_dir() -> Path:
    return shared_dir("sources")


@pytest.fixture
def argdown_peers() -> Path:
    return shared_dir("peers", "argdown")


def bounded_call(fn, seconds: float = 60):
    """Run ``fn`` in a thread; fail (instead of hanging the suite) if it has not returned in time.

    A guard against hangs (a FIFO read, a quadratic loop), not a timing assertion: the bound is
    far above any normal run (``ARGKIT_HANG_BOUND`` overrides it, e.g. to see a hang quickly).
    """
    import threading

    seconds = float(os.environ.get("ARGKIT_HANG_BOUND", seconds))
    out: dict[str, object] = {}

    def run():
        try:
            out["value"] = fn()
        except BaseException as e:  # handed to the test below
            out["error"] = e

    t = threading.Thread(target=run, daemon=True)
    t.start()
    t.join(seconds)
    assert not t.is_alive(), f"still running after {seconds} s: a hang"
    if "error" in out:
        raise out["error"]  # type: ignore[misc]
    return out.get("value")


@pytest.fixture
def bounded():
    """``bounded(fn)``: call ``fn``, failing the test if it hangs."""
    return bounded_call
