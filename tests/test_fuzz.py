"""Fuzz suite: mutated course maps and Argdown files never crash, hang or reach the terminal raw.

Each example is a course map (or an Argdown file) with a few hostile edits (tests/strategies.py,
``mutate``); tests/fuzzing.py says what must hold. Bounded for CI: ``ARGKIT_FUZZ_EXAMPLES``
examples per test (default 60; a few minutes in all on a small machine), drawn from a fixed seed
when ``CI`` is set. For a long campaign with counts, run ``python tools/fuzz_campaign.py``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from conftest import bounded_call
from fuzzing import argdown_seeds, check_case, make_folder, yaml_seeds
from strategies import mutated_files

EXAMPLES = int(os.environ.get("ARGKIT_FUZZ_EXAMPLES", "60"))
BOUND = 120  # seconds for one example: a hang, not a slow run (a normal one takes well under 1 s)
FUZZ = settings(max_examples=EXAMPLES, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])

YAML_SEEDS = yaml_seeds()
ARGDOWN_SEEDS = argdown_seeds()


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_folder(tmp_path_factory.mktemp("fuzz"))


@FUZZ
@given(data=mutated_files(YAML_SEEDS))
def test_a_mutated_map_never_crashes_hangs_or_leaks(folder, data):
    fails = bounded_call(lambda: check_case(folder, "case.yaml", data), BOUND)
    assert fails == [], fails


@FUZZ
@given(data=mutated_files(ARGDOWN_SEEDS))
def test_a_mutated_argdown_file_never_crashes_or_hangs(folder, data):
    fails = bounded_call(lambda: check_case(folder, "case.argdown", data), BOUND)
    assert fails == [], fails
