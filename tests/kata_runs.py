"""Run kata checks in this process and collect each check's outcome, for our own tests."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue
from pytest_tfkatas.paths import kata_of_path

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = catalogue.load()
#: While working on one topic, ``TFKATAS_TEST_KATAS=tokenization pytest tests/test_katas.py`` runs the
#: four-part tests of those katas only (the same syntax as ``--katas``). CI runs them all.
SELECTED = CATALOGUE.select(os.environ.get("TFKATAS_TEST_KATAS", "all"))


@dataclass
class CheckOutcome:
    check: str
    #: passed, failed (in the check itself), error (in a fixture), skipped
    outcome: str
    message: str = ""


@dataclass
class RunResult:
    exit_code: int | pytest.ExitCode
    katas: dict[str, dict[str, CheckOutcome]] = field(default_factory=dict)

    def checks_of(self, kata: str) -> dict[str, CheckOutcome]:
        return self.katas.get(kata, {})


class _Recorder:
    def __init__(self, result: RunResult) -> None:
        self.result = result

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = kata_of_path(report.location[0])
        assert found is not None, report.nodeid
        check = report.nodeid.split("::")[-1]
        checks = self.result.katas.setdefault(found[1], {})
        if report.failed:
            outcome = "failed" if report.when == "call" else "error"
            crash = getattr(report.longrepr, "reprcrash", None)
            message = crash.message if crash is not None else str(report.longrepr)
            message = message.removeprefix("Failed: ")
            checks[check] = CheckOutcome(check, outcome, message)
        elif report.skipped:
            checks[check] = CheckOutcome(check, "skipped", str(report.longrepr))
        elif report.when == "call" and check not in checks:
            checks[check] = CheckOutcome(check, "passed")


def run_katas(names: list[str], katas_dir: Path, *args: str) -> RunResult:
    """Run the checks of ``names`` against the implementations in ``katas_dir``."""
    result = RunResult(exit_code=0)
    result.exit_code = pytest.main(
        [
            "--katas",
            ",".join(names),
            f"--katas-dir={katas_dir}",
            f"--rootdir={REPO}",
            "-p",
            "no:cacheprovider",
            "-q",
            "--tb=no",
            *args,
        ],
        plugins=[_Recorder(result)],
    )
    return result


def workspace_of(files: dict[str, Path], folder: Path) -> Path:
    """A katas folder holding ``files`` (kata name -> implementation) at their kata paths."""
    for name, source in files.items():
        target = folder / CATALOGUE.kata(name).relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return folder
