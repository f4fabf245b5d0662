"""Every kata's four parts agree: the reference passes every check, the pristine stub fails every
check, every decoy is rejected, and every correct alternative passes."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.kata_runs import CATALOGUE, REPO, SELECTED, RunResult, run_katas, workspace_of

ALL = [kata.name for kata in SELECTED]
DECOYS = sorted(path for path in (REPO / "tests" / "decoys").glob("*/*/*.py") if path.parent.name in ALL)
ALTERNATIVES = sorted(path for path in (REPO / "tests" / "alternatives").glob("*/*.py") if path.stem in ALL)
#: Messages a learner can act on: about their call, their file, or a skipped extra.
LEARNER_WORDED = ("Called ", "Importing ", "There is no file", "needs ")


def _id(path: Path) -> str:
    return "/".join(path.with_suffix("").parts[-3:])


@pytest.fixture(scope="session")
def reference_run() -> RunResult:
    return run_katas(ALL, REPO / "solutions")


@pytest.fixture(scope="session")
def stub_run() -> RunResult:
    return run_katas(ALL, REPO / "katas")


@pytest.fixture(scope="session")
def decoy_runs(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, RunResult]:
    """One run per "slot": the first decoy of every kata together, then the second, and so on."""
    by_kata: dict[str, list[Path]] = {}
    for decoy in DECOYS:
        by_kata.setdefault(decoy.parent.name, []).append(decoy)
    runs: dict[Path, RunResult] = {}
    for slot in range(max(len(found) for found in by_kata.values())):
        chosen = {kata: found[slot] for kata, found in by_kata.items() if slot < len(found)}
        folder = workspace_of(chosen, tmp_path_factory.mktemp(f"decoys{slot}"))
        result = run_katas(sorted(chosen), folder)
        runs.update({decoy: result for decoy in chosen.values()})
    return runs


@pytest.fixture(scope="session")
def alternative_run(tmp_path_factory: pytest.TempPathFactory) -> RunResult:
    chosen = {path.stem: path for path in ALTERNATIVES}
    return run_katas(sorted(chosen), workspace_of(chosen, tmp_path_factory.mktemp("alternatives")))


@pytest.mark.parametrize("name", ALL)
def test_the_reference_passes_every_check(reference_run: RunResult, name: str) -> None:
    checks = reference_run.checks_of(name)
    assert checks, f"no checks of {name} ran"
    failed = {c.check: c.message for c in checks.values() if c.outcome != "passed"}
    assert not failed


@pytest.mark.parametrize("name", ALL)
def test_the_pristine_stub_fails_every_check(stub_run: RunResult, name: str) -> None:
    checks = stub_run.checks_of(name)
    assert len(checks) >= 3
    for check in checks.values():
        assert check.outcome == "failed", check
        assert "still a stub" in check.message, check


@pytest.mark.parametrize("decoy", DECOYS, ids=_id)
def test_the_decoy_is_rejected_with_a_learner_worded_message(
    decoy_runs: dict[Path, RunResult], decoy: Path
) -> None:
    checks = decoy_runs[decoy].checks_of(decoy.parent.name)
    failures = [check for check in checks.values() if check.outcome != "passed"]
    assert failures, f"{_id(decoy)} passed every check"
    assert all(check.outcome == "failed" for check in failures), failures
    first = failures[0].message
    assert first.startswith(LEARNER_WORDED) or "raised while calling" in first, first
    caught_by = caught_by_of(decoy)
    failed = {check.check for check in failures} | {check.check.split("[")[0] for check in failures}
    assert caught_by in failed, (
        f"{_id(decoy)} must be caught by {caught_by}, which it passes; it failed only {sorted(failed)}"
    )


def caught_by_of(decoy: Path) -> str:
    """The check a decoy names as the one that must catch it: a ``caught_by: <check>`` line in its
    docstring (a check's name, or one parametrized case of it, ``test_x[case]``)."""
    docstring = ast.get_docstring(ast.parse(decoy.read_text(encoding="utf-8"))) or ""
    named = re.findall(r"^caught_by: (test_\w+(?:\[[^\]]+\])?)\s*$", docstring, flags=re.MULTILINE)
    assert len(named) == 1, f"{decoy}: its docstring needs one line 'caught_by: <the check that catches it>'"
    return named[0]


def test_every_decoy_names_its_mistake_and_the_check_that_catches_it() -> None:
    for decoy in DECOYS:
        first_line = decoy.read_text(encoding="utf-8").splitlines()[0]
        assert first_line.startswith(f'"""Decoy for {decoy.parent.name}: '), decoy
        assert len(first_line) > 40, f"{decoy}: say what the mistake is"
        check_file = CATALOGUE.kata(decoy.parent.name).check_path
        name = caught_by_of(decoy).split("[")[0]
        assert f"def {name}(" in check_file.read_text(encoding="utf-8"), f"{decoy}: no check {name}"


@pytest.mark.parametrize("name", ALL)
def test_every_kata_has_at_least_four_decoys(name: str) -> None:
    kata = CATALOGUE.kata(name)
    found = sorted((REPO / "tests" / "decoys" / kata.topic / name).glob("*.py"))
    assert len(found) >= 4, f"{name} has {len(found)} decoys: write at least four plausible wrong answers"


@pytest.mark.parametrize("alternative", ALTERNATIVES, ids=_id)
def test_a_correct_alternative_passes(alternative_run: RunResult, alternative: Path) -> None:
    checks = alternative_run.checks_of(alternative.stem)
    assert checks
    failed = {c.check: c.message for c in checks.values() if c.outcome != "passed"}
    assert not failed
