"""The rules of a kata run, as plain functions of plain data (no pytest): given what a run saw of a
kata's checks, the learner's record and the mode, what is the verdict, which rung of the hint
ladder is shown, and what is revealed.

The record is updated in place, as the run's conclusion: attempts, first attempt and first solve,
hints seen, and the interview clock.
"""

from __future__ import annotations

from dataclasses import dataclass

from pytest_tfkatas.catalogue import Kata
from pytest_tfkatas.progress import KataProgress
from pytest_tfkatas.results import KataRun, Verdict

__all__ = ["Mode", "decide", "reveals", "shows_tips"]


@dataclass(frozen=True)
class Mode:
    """How the learner runs the katas."""

    #: interview mode: no hints, no tips, no reveals; a clock per kata from first run to solve
    interview: bool = False
    #: --katas-solutions: show the reference of every solved kata, not only of the newly solved
    show_solutions: bool = False


def decide(
    kata: Kata, run: KataRun, entry: KataProgress, mode: Mode, stamp: str, source: str | None = None
) -> Verdict:
    """The verdict on ``kata`` from ``run``, with ``entry`` (its record) updated at time ``stamp``.

    A run in which the kata reached a verdict (solved or failing) counts as an attempt. A failing
    practice run climbs one rung of the hint ladder, up to the last, only when it is a real new
    attempt: the kata's file (``source``, a digest of it; None when unknown) changed since the last
    failing run, and a check failed on the learner's code, not because the file could not be
    imported (a syntax error is shown as itself). The first solve is stamped with the mode it
    happened in; a later failing run marks the kata "solved before, failing now" until it passes
    again. In interview mode the kata's clock starts at the first interview run that meets it
    (even on an untouched stub) and its runs are counted up to the solve; a kata solved in
    practice before any interview met it is not timed (it is not scored).
    """
    status = run.status
    was_solved = entry.solved
    decided = status in ("solved", "failing")
    if decided:
        entry.attempts += 1
        entry.first_attempt = entry.first_attempt or stamp
        entry.failing_now = status == "failing" and was_solved
    met_fresh = not entry.solved_in_practice_before_interview
    if mode.interview and met_fresh and (decided or status == "not started"):
        entry.interview_started = entry.interview_started or stamp
        if decided and entry.interview_solved is None:
            entry.interview_attempts += 1
            if status == "solved":
                entry.interview_solved = stamp
    hint = None
    if status == "failing" and not mode.interview:
        new_attempt = source is None or source != entry.failed_source
        if new_attempt and not run.import_failed:
            entry.hints_shown = min(entry.hints_shown + 1, len(kata.hints))
        entry.failed_source = source
        hint = entry.hints_shown or None
    newly_solved = status == "solved" and not was_solved
    if newly_solved:
        entry.first_solved = stamp
        entry.solved_in = "interview" if mode.interview else "practice"
    return Verdict(
        kata=kata, status=status, run=run, hint=hint, newly_solved=newly_solved, solved_before=was_solved
    )


def reveals(verdict: Verdict, mode: Mode) -> bool:
    """Whether the report shows the kata's reference solution."""
    if mode.interview:
        return False
    return verdict.newly_solved or (mode.show_solutions and verdict.solved_now)


def shows_tips(mode: Mode) -> bool:
    """Whether failure messages keep their tips (an interview shows what was called, what came back
    and what was expected, nothing more)."""
    return not mode.interview
