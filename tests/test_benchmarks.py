"""The benchmark and determinism scripts in benchmarks/: their logic, without running any katas."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


def _script(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"tfkatas_benchmarks_{name}", BENCHMARKS / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def repeat() -> ModuleType:
    return _script("repeat")


@pytest.fixture(scope="module")
def run() -> ModuleType:
    return _script("run")


def junit(*cases: str) -> str:
    return f'<testsuites><testsuite name="pytest">{"".join(cases)}</testsuite></testsuites>'


PASSED = '<testcase classname="generation.test_generate_sequences" name="test_seeded[3]" time="0.1"/>'
FAILED = (
    '<testcase classname="generation.test_generate_sequences" name="test_seeded[3]" time="0.1">'
    "<failure message=\"Got: ['a'] Expected: ['b']\">traceback</failure></testcase>"
)
OTHER = '<testcase classname="debugging.test_stable_log_softmax" name="test_rows_sum_to_one" time="0.1"/>'


def test_a_check_that_passes_in_one_run_and_fails_in_another_is_flagged(repeat: ModuleType) -> None:
    first, second = repeat.parse_junit(junit(PASSED, OTHER)), repeat.parse_junit(junit(FAILED, OTHER))
    found = repeat.differences([first, second, first])
    assert found == {
        "generation.test_generate_sequences::test_seeded[3]": {
            "passed": [1, 3],
            "failed: Got: ['a'] Expected: ['b']": [2],
        }
    }
    assert "runs 1, 3: passed" in repeat.describe(found)
    assert repeat.differences([first, first]) == {}


def test_expect_pass_counts_the_runs_in_which_a_check_did_not_pass(repeat: ModuleType) -> None:
    """Verdicts that agree are not enough for the references: every run must pass (--expect-pass)."""
    passed, failed = repeat.parse_junit(junit(PASSED, OTHER)), repeat.parse_junit(junit(FAILED, OTHER))
    assert repeat.failing_runs([passed, failed, passed, failed]) == [2, 4]
    assert repeat.failing_runs([passed, passed]) == []
    assert repeat.differences([failed, failed]) == {}, "the same failure in every run is no difference"


def test_a_check_missing_from_one_run_is_flagged(repeat: ModuleType) -> None:
    found = repeat.differences([repeat.parse_junit(junit(PASSED, OTHER)), repeat.parse_junit(junit(PASSED))])
    check = "debugging.test_stable_log_softmax::test_rows_sum_to_one"
    assert found == {check: {"passed": [1], repeat.ABSENT: [2]}}


def test_memory_addresses_and_temporary_folders_do_not_count_as_differences(repeat: ModuleType) -> None:
    def failing(where: str) -> str:
        message = f"Called f(&lt;GPT2LMHeadModel at {where}&gt;). Got: 1 Expected: 2"
        return f'<testcase classname="t" name="c"><failure message="{message}"/></testcase>'

    first = repeat.parse_junit(junit(failing("0x7f3a2b1c0d90 in /tmp/pytest-of-ann/pytest-3/test_c0/x")))
    second = repeat.parse_junit(junit(failing("0x7f11aa22bb33 in /tmp/pytest-of-ann/pytest-9/test_c0/x")))
    assert repeat.differences([first, second]) == {}
    assert repeat.differences([first, repeat.parse_junit(junit(failing("0x7f3a2b1c0d90 Got: 3")))])


def test_the_benchmark_table_marks_a_missed_goal_and_an_unavailable_figure(run: ModuleType) -> None:
    fast = run.Figure("fast", "s", 3.0, [1.0, 2.0, 9.0])
    slow = run.Figure("slow", "s", 0.5, [0.6, 0.7, 0.8])
    absent = run.Figure("watch", "s", 0.5, error="not available: no watch mode")
    lines = run.table([fast, slow, absent]).splitlines()
    assert lines[2].split()[-1] == "ok" and "2.00 s" in lines[2]
    assert lines[3].split()[-1] == "MISSED" and "0.70 s" in lines[3]
    assert lines[4].split()[-1] == "n/a"


def test_the_benchmark_script_explains_its_options() -> None:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / "run.py"), "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    for option in ("--runs", "--topic", "--saves", "--only", "--strict"):
        assert option in done.stdout
