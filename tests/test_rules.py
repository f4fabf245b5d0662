"""The rules of a kata run, on plain data: no pytest run, no pytester."""

from __future__ import annotations

import pytest

from pytest_tfkatas.catalogue import Kata
from pytest_tfkatas.progress import KataProgress
from pytest_tfkatas.results import STUB_MARK, KataRun
from pytest_tfkatas.rules import Mode, decide, reveals, shows_tips

KATA = Kata("add", "debugging", "intermediate", 1, "Write add.", ("nudge", "pointer", "idea"))
PRACTICE, INTERVIEW = Mode(), Mode(interview=True)
T1, T2, T3 = "2026-12-03T10:00:00+00:00", "2026-12-03T10:05:00+00:00", "2026-12-03T10:20:00+00:00"


def run_of(*outcomes: str, total: int | None = None, stub: bool = False) -> KataRun:
    run = KataRun(total=len(outcomes) if total is None else total)
    for index, outcome in enumerate(outcomes):
        message = (
            f"add {STUB_MARK}" if stub and outcome == "failed" else ("Called add()." * (outcome == "failed"))
        )
        run.record(f"test_{index}", outcome, message)  # type: ignore[arg-type]
    return run


def test_a_run_whose_checks_all_pass_solves_the_kata_once() -> None:
    entry = KataProgress()
    verdict = decide(KATA, run_of("passed", "passed"), entry, PRACTICE, T1)
    assert (verdict.status, verdict.newly_solved, verdict.hint) == ("solved", True, None)
    assert (entry.attempts, entry.first_attempt, entry.first_solved, entry.solved_in) == (
        1,
        T1,
        T1,
        "practice",
    )
    again = decide(KATA, run_of("passed", "passed"), entry, PRACTICE, T2)
    assert not again.newly_solved and again.solved_before
    assert (entry.attempts, entry.first_solved) == (2, T1)


def test_each_failing_practice_run_climbs_one_rung_of_the_hints_up_to_the_last() -> None:
    entry = KataProgress()
    hints = [decide(KATA, run_of("passed", "failed"), entry, PRACTICE, T1).hint for _ in range(5)]
    assert hints == [1, 2, 3, 3, 3]
    assert entry.attempts == 5 and entry.first_solved is None


def test_an_untouched_stub_is_not_started_costs_no_attempt_and_shows_no_hint() -> None:
    entry = KataProgress()
    verdict = decide(KATA, run_of("failed", "failed", stub=True), entry, PRACTICE, T1)
    assert (verdict.status, verdict.hint) == ("not started", None)
    assert entry == KataProgress()


def test_a_stub_that_passes_one_check_is_failing_not_untouched() -> None:
    verdict = decide(KATA, run_of("passed", "failed", stub=True), KataProgress(), PRACTICE, T1)
    assert verdict.status == "failing"


@pytest.mark.parametrize(
    ("run", "status"),
    [
        (run_of("passed", "skipped"), "skipped"),
        (run_of("passed", total=3), "incomplete"),
        (KataRun(total=3), "not run"),
    ],
    ids=["a skipped check", "checks left out", "no check ran"],
)
def test_a_run_that_decides_nothing_leaves_the_record_alone(run: KataRun, status: str) -> None:
    entry = KataProgress(attempts=2, hints_shown=1, first_attempt=T1)
    verdict = decide(KATA, run, entry, PRACTICE, T2)
    assert verdict.status == status and verdict.hint is None
    assert entry == KataProgress(attempts=2, hints_shown=1, first_attempt=T1)


def test_a_solved_kata_that_fails_again_is_solved_before_and_failing_now() -> None:
    entry = KataProgress(attempts=1, first_attempt=T1, first_solved=T1, solved_in="practice")
    verdict = decide(KATA, run_of("failed"), entry, PRACTICE, T2)
    assert verdict.solved_before and not verdict.solved_now and verdict.status == "failing"
    assert entry.first_solved == T1, "the first solve stays recorded"


def test_an_interview_gives_no_hints_and_times_the_kata_from_its_first_run_to_its_solve() -> None:
    entry = KataProgress()
    first = decide(KATA, run_of("failed", stub=True), entry, INTERVIEW, T1)
    assert first.status == "not started" and entry.interview_started == T1 and entry.interview_attempts == 0
    failing = decide(KATA, run_of("failed"), entry, INTERVIEW, T2)
    assert failing.hint is None and entry.hints_shown == 0 and entry.interview_attempts == 1
    decide(KATA, run_of("passed"), entry, INTERVIEW, T3)
    assert (entry.interview_solved, entry.interview_attempts, entry.solved_in) == (T3, 2, "interview")
    assert entry.interview_seconds == 20 * 60
    decide(KATA, run_of("passed"), entry, INTERVIEW, T3)
    assert entry.interview_attempts == 2, "runs after the solve are not counted"


def test_only_a_new_solve_is_revealed_unless_every_solution_is_asked_for_and_never_in_an_interview() -> None:
    new = decide(KATA, run_of("passed"), KataProgress(), PRACTICE, T1)
    old = decide(KATA, run_of("passed"), KataProgress(first_solved=T1, attempts=1), PRACTICE, T2)
    failing = decide(KATA, run_of("failed"), KataProgress(first_solved=T1, attempts=1), PRACTICE, T2)
    assert reveals(new, PRACTICE) and not reveals(old, PRACTICE) and not reveals(failing, PRACTICE)
    everything = Mode(show_solutions=True)
    assert reveals(old, everything) and not reveals(failing, everything)
    assert not reveals(new, INTERVIEW)
    assert shows_tips(PRACTICE) and not shows_tips(INTERVIEW)


def test_a_hint_climbs_only_when_the_file_changed_since_the_last_failing_run() -> None:
    entry = KataProgress()
    sources = ["a", "a", "b", "b", "c"]
    hints = [decide(KATA, run_of("passed", "failed"), entry, PRACTICE, T1, source).hint for source in sources]
    assert hints == [1, 1, 2, 2, 3]
    assert entry.failed_source == "c"


def test_a_file_that_cannot_be_imported_climbs_no_hint() -> None:
    entry = KataProgress()
    decide(KATA, run_of("passed", "failed"), entry, PRACTICE, T1, "a")
    broken = KataRun(total=2)
    broken.record("test_0", "failed", "Importing katas/debugging/add.py failed:\n  SyntaxError")
    broken.record("test_1", "failed", "Importing katas/debugging/add.py failed:\n  SyntaxError")
    assert broken.import_failed
    assert decide(KATA, broken, entry, PRACTICE, T2, "b").hint == 1
    assert decide(KATA, run_of("passed", "failed"), entry, PRACTICE, T3, "c").hint == 2


def test_a_solved_kata_that_fails_is_regressed_until_it_passes_again() -> None:
    entry = KataProgress()
    decide(KATA, run_of("passed"), entry, PRACTICE, T1)
    failing = decide(KATA, run_of("failed"), entry, PRACTICE, T2)
    assert failing.solved_before and entry.failing_now and entry.status == "regressed" and not entry.passing
    decide(KATA, run_of("passed"), entry, PRACTICE, T3)
    assert entry.status == "solved" and entry.passing and entry.first_solved == T1


def test_an_interview_does_not_time_a_kata_solved_in_practice_before_it() -> None:
    entry = KataProgress()
    decide(KATA, run_of("passed"), entry, PRACTICE, T1)
    decide(KATA, run_of("passed"), entry, INTERVIEW, T2)
    assert entry.solved_in_practice_before_interview
    assert (entry.interview_started, entry.interview_attempts, entry.interview_solved) == (None, 0, None)
