"""What a run saw of each kata, and what it concluded: plain data, no pytest.

``KataRun`` gathers the outcomes of one kata's checks as they come in; ``Verdict`` is the
conclusion the rules draw from it (see ``rules.py``), which the report renders and the JSON report
writes out.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal

from pytest_tfkatas.catalogue import Kata

__all__ = ["STUB_MARK", "CheckResult", "KataRun", "Outcome", "Status", "Verdict"]

Outcome = Literal["passed", "failed", "skipped"]
Status = Literal["solved", "failing", "not started", "skipped", "incomplete", "not run"]

#: The words every failure of an untouched stub carries: such a kata counts as not started, so its
#: hints wait for a real attempt.
STUB_MARK = "is still a stub"


def import_failed(message: str) -> bool:
    """Whether a check's failure message says that the learner's file could not be imported (or
    is missing): "Importing katas/x.py failed: ..." (see learner.py)."""
    first = message.partition("\n")[0]
    return (first.startswith("Importing ") and first.endswith(" failed:")) or first.startswith(
        "There is no file "
    )


_RANK: dict[Outcome, int] = {"passed": 0, "skipped": 1, "failed": 2}


@dataclass
class CheckResult:
    name: str
    outcome: Outcome
    message: str = ""


@dataclass
class KataRun:
    """What this run saw of one kata's checks."""

    checks: dict[str, CheckResult] = field(default_factory=dict)
    #: how many checks the kata has in all, before any deselection (None: not known yet)
    total: int | None = None

    def record(self, name: str, outcome: Outcome, message: str) -> None:
        previous = self.checks.get(name)
        # A check is as bad as its worst phase: a teardown error spoils a passed call.
        if previous is None or _RANK[outcome] > _RANK[previous.outcome]:
            self.checks[name] = CheckResult(name, outcome, message)

    @property
    def status(self) -> Status:
        if not self.checks:
            return "not run"
        outcomes = Counter(check.outcome for check in self.checks.values())
        if outcomes["failed"]:
            untouched = all(STUB_MARK in c.message for c in self.checks.values() if c.outcome == "failed")
            return "not started" if untouched and not outcomes["passed"] else "failing"
        if outcomes["skipped"]:
            return "skipped"
        if self.total is not None and outcomes["passed"] == self.total:
            return "solved"
        return "incomplete"

    def sort(self, order: dict[str, int]) -> None:
        """Put the checks in collection order: under pytest-xdist they finish in any order, and
        the first failure shown must not depend on which worker was quicker."""
        ranked = sorted(self.checks.items(), key=lambda item: order.get(item[0], len(order)))
        self.checks = dict(ranked)

    @property
    def import_failed(self) -> bool:
        """Every failing check failed because the learner's file could not be imported (a syntax
        error, a failing import): no check met the learner's code."""
        failed = [check for check in self.checks.values() if check.outcome == "failed"]
        return bool(failed) and all(import_failed(check.message) for check in failed)

    def first_failure(self) -> CheckResult | None:
        return next((c for c in self.checks.values() if c.outcome == "failed"), None)

    def first_skip(self) -> CheckResult | None:
        return next((c for c in self.checks.values() if c.outcome == "skipped"), None)

    def count(self, outcome: Outcome) -> int:
        return sum(1 for check in self.checks.values() if check.outcome == outcome)


@dataclass(frozen=True)
class Verdict:
    """One selected kata at the end of a run."""

    kata: Kata
    status: Status
    run: KataRun
    #: the rung of the hint ladder to show (1-based), for a failing kata
    hint: int | None
    newly_solved: bool
    solved_before: bool

    @property
    def solved_now(self) -> bool:
        if self.status in ("solved", "failing"):
            return self.status == "solved"
        return self.solved_before  # not decided in this run: what the record says
