"""The learner-facing report of a kata run, built as lines of text and only then written.

Rendered with rich: in colour where pytest would use colour (``--color``, ``NO_COLOR``,
``FORCE_COLOR``, a terminal or not), as plain text otherwise.
"""

from __future__ import annotations

import ast
import difflib
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from pytest_tfkatas import __version__, progress
from pytest_tfkatas.paths import shown, write_atomically

if TYPE_CHECKING:
    import pytest

    from pytest_tfkatas.catalogue import Kata
    from pytest_tfkatas.session import KataRun, KataSession, Status

__all__ = ["Verdict", "build", "write_json"]

_BAR_WIDTH = 20
_TRAILING_BLANKS = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")
#: Lines of a failure message shown in the summary; the full text is in pytest's own report.
_MESSAGE_LINES = 12
#: Lines of the diff between the learner's solution and the reference shown at most.
_DIFF_LINES = 80


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


def console_for(config: pytest.Config) -> Console:
    """A rich console that colours and wraps as pytest's own terminal writer does."""
    writer = config.get_terminal_writer()
    return Console(
        file=io.StringIO(),
        force_terminal=writer.hasmarkup,
        no_color=not writer.hasmarkup,
        color_system="standard" if writer.hasmarkup else None,
        width=max(writer.fullwidth, 60),
        highlight=False,
        emoji=False,
    )


def build(session: KataSession, verdicts: list[Verdict]) -> list[str]:
    config = session.config
    console = console_for(config)
    quiet = config.get_verbosity() < 0
    with console.capture() as capture:
        for renderable in _sections(session, verdicts, quiet):
            console.print(renderable)
    # rich pads padded blocks to their width: drop trailing blanks (before any closing colour code)
    return [_TRAILING_BLANKS.sub(r"\1", line) for line in capture.get().rstrip("\n").splitlines()]


def _sections(session: KataSession, verdicts: list[Verdict], quiet: bool) -> Iterator[RenderableType]:
    yield Rule("tfkatas", style="bold")
    for warning in session.warnings:
        yield Text(warning, style="yellow")
    blocks = [block for verdict in verdicts if (block := _kata_block(session, verdict)) is not None]
    for index, block in enumerate(blocks):
        if index and isinstance(blocks[index - 1], Group):
            yield Text("")  # a blank line after each multi-line block
        yield block
    if session.interview:
        yield _interview_table(session, verdicts)
        return
    show_all = session.config.getoption("katas_solutions")
    for verdict in verdicts:
        if verdict.newly_solved or (show_all and verdict.solved_now):
            yield _solved(session, verdict, quiet)
    if show_all:
        selected = {verdict.kata.name for verdict in verdicts}
        for kata in session.catalogue.katas:
            if kata.name not in selected and session.progress.of(kata.name).solved:
                yield _reference(kata, quiet, headline=f"{kata.name} (solved before)")
    yield _table(session, verdicts)


def _kata_block(session: KataSession, verdict: Verdict) -> RenderableType | None:
    """What the report says of a kata that did not pass: None for a solved or unrun one."""
    name = verdict.kata.name
    if verdict.status == "solved" and session.watch and not verdict.newly_solved:
        passing = f"  all {len(verdict.run.checks)} checks pass (solved before)"
        return Text.assemble(("✓ ", "bold green"), (name, "bold"), passing)
    if verdict.status == "failing":
        return _failing(session, verdict)
    if verdict.status == "not started":
        where = shown(session.stub_file(verdict.kata))
        return Text.assemble(("○ ", "yellow"), (name, "bold"), "  not started  ", (where, "cyan"))
    if verdict.status == "skipped":
        skip = verdict.run.first_skip()
        return Text.assemble(("- ", "yellow"), (name, "bold"), f" skipped: {skip.message if skip else ''}")
    if verdict.status == "incomplete":
        ran = sum(1 for check in verdict.run.checks.values() if check.outcome == "passed")
        return Text.assemble(
            ("- ", "yellow"),
            (name, "bold"),
            f": {ran} of {verdict.run.total or '?'} checks passed and the rest did not run "
            "(deselected or stopped early), so it is not counted as solved.",
        )
    return None


def _failing(session: KataSession, verdict: Verdict) -> RenderableType:
    kata = verdict.kata
    failure = verdict.run.first_failure()
    message = failure.message if failure else ""
    lines = message.splitlines()
    if session.interview:  # no tips in an interview: what was called, what came back, what was expected
        lines = [line for line in lines if not line.lstrip().startswith("Tip:")]
    if len(lines) > _MESSAGE_LINES and not session.watch:  # watch mode prints no failure report
        lines = [*lines[:_MESSAGE_LINES], "... (the full message is in the failure report above)"]
    failed = sum(1 for check in verdict.run.checks.values() if check.outcome == "failed")
    parts: list[RenderableType] = [
        Text.assemble(
            ("✗ ", "bold red"),
            (kata.name, "bold"),
            f"  {failed} of {len(verdict.run.checks)} checks failing",
            (f"  ({kata.topic} · {kata.level} · seed question {kata.seed})", "dim"),
        ),
        Padding(
            Group(
                Text.assemble("edit ", (shown(session.stub_file(kata)), "cyan")),
                Text(f"first failing check: {failure.name if failure else '?'}", style="dim"),
                Padding(Text("\n".join(lines)), (0, 0, 0, 2), expand=False),
            ),
            (0, 0, 0, 2),
            expand=False,
        ),
    ]
    if verdict.hint:
        hint = kata.hints[verdict.hint - 1]
        parts.append(
            Padding(
                Text.assemble((f"Hint {verdict.hint}/{len(kata.hints)}: ", "bold magenta"), hint),
                (0, 0, 0, 2),
                expand=False,
            )
        )
    return Group(*parts)


def _solved(session: KataSession, verdict: Verdict, quiet: bool) -> RenderableType:
    kata = verdict.kata
    headline = f"{kata.name} solved!" if verdict.newly_solved else f"{kata.name} (solved)"
    return _reference(kata, quiet, headline, learner_file=session.stub_file(kata))


def _reference(kata: Kata, quiet: bool, headline: str, learner_file: Path | None = None) -> RenderableType:
    path = kata.reference_path
    head = Text.assemble(("✓ ", "bold green"), (headline, "bold green"))
    if not path.is_file():
        return Group(head, Text("  (the reference solutions are not part of this installation)", style="dim"))
    where = Text.assemble("  Compare your code with the reference solution: ", (shown(path), "cyan"))
    if quiet:
        return Group(head, where)
    reference = path.read_text(encoding="utf-8")
    parts: list[RenderableType] = [head]
    if learner_file is not None and learner_file.is_file():
        parts.append(_diff(learner_file, path, reference))
    code = Syntax(
        reference, "python", theme="ansi_dark", line_numbers=True, background_color="default", word_wrap=True
    )
    parts += [where, Padding(code, (0, 0, 0, 2), expand=False), Text("")]
    return Group(*parts)


def _diff(learner_file: Path, reference_file: Path, reference: str) -> RenderableType:
    """Your solution against the reference, as a unified diff: what to learn from it at a glance."""
    mine = learner_file.read_text(encoding="utf-8", errors="replace")
    if mine.strip() == reference.strip():
        return Text("  Your file is the reference solution itself.", style="dim")
    lines = list(
        difflib.unified_diff(
            _code_lines(mine),
            _code_lines(reference),
            fromfile=f"yours: {shown(learner_file)}",
            tofile=f"reference: {shown(reference_file)}",
            n=2,
            lineterm="",
        )
    )
    if len(lines) > _DIFF_LINES:
        lines = [*lines[:_DIFF_LINES], f"... ({len(lines) - _DIFF_LINES} more lines of diff)"]
    if not lines:
        return Text("  Your code is the reference's, docstrings aside.", style="dim")
    intro = Text("  What the reference does differently (- yours, + reference; docstrings left out):")
    code = Syntax("\n".join(lines), "diff", theme="ansi_dark", background_color="default", word_wrap=True)
    return Group(intro, Padding(code, (0, 0, 0, 2), expand=False))


def _table(session: KataSession, verdicts: list[Verdict]) -> RenderableType:
    decided = {verdict.kata.name: verdict.solved_now for verdict in verdicts}

    def solved(kata: Kata) -> bool:
        return decided.get(kata.name, session.progress.of(kata.name).solved)

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("topic")
    table.add_column("solved", justify="right")
    table.add_column("progress")
    topics = list(dict.fromkeys(verdict.kata.topic for verdict in verdicts))
    for slug in topics:
        katas = session.catalogue.in_topic(slug)
        done = sum(solved(kata) for kata in katas)
        table.add_row(slug, f"{done}/{len(katas)}", _bar(done, len(katas)))
    everything = session.catalogue.katas
    total_done = sum(solved(kata) for kata in everything)
    overall = Text.assemble(
        ("Overall: ", "bold"),
        f"{total_done}/{len(everything)} katas solved",
        f" ({100 * total_done // max(len(everything), 1)}%)",
    )
    return Group(Text(""), table, overall)


def _bar(done: int, total: int) -> Text:
    filled = round(_BAR_WIDTH * done / total) if total else 0
    return Text.assemble(("█" * filled, "green"), ("░" * (_BAR_WIDTH - filled), "dim"))


def _code_lines(text: str) -> list[str]:
    """The lines of a Python file without its docstrings: the stub's long docstring and the
    reference's short one would otherwise fill the diff."""
    lines = text.splitlines()
    try:
        tree = ast.parse(text)
    except SyntaxError:
        return lines
    dropped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                dropped.update(range(first.lineno, (first.end_lineno or first.lineno) + 1))
    return [line for number, line in enumerate(lines, start=1) if number not in dropped]


def _interview_table(session: KataSession, verdicts: list[Verdict]) -> RenderableType:
    """The closing score of an interview: per kata, status, runs and time from first run to solve."""
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", title_justify="left")
    for column in ("kata", "level", "status", "runs", "time to solve"):
        table.add_column(column, justify="right" if column in ("runs", "time to solve") else "left")
    solved = 0
    total_seconds = 0.0
    for verdict in verdicts:
        entry = session.progress.of(verdict.kata.name)
        seconds = entry.interview_seconds
        if seconds is not None:
            solved += 1
            total_seconds += seconds
            status = Text("solved", "green")
        elif verdict.status == "failing":
            status = Text("failing", "red")
        else:
            status = Text(verdict.status, "yellow")
        table.add_row(
            verdict.kata.name,
            verdict.kata.level,
            status,
            str(entry.interview_attempts),
            _duration(seconds) if seconds is not None else "-",
        )
    score = Text.assemble(
        ("Interview score: ", "bold"),
        f"{solved}/{len(verdicts)} katas solved",
        f" ({100 * solved // max(len(verdicts), 1)}%)",
        f", {_duration(total_seconds)} in all" if solved else "",
        ". No hints and no solutions are shown in interview mode.",
    )
    return Group(Text(""), Text("Interview", style="bold"), table, score)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


# -- --katas-report --------------------------------------------------------------------------------

#: The version of the JSON report's layout.
JSON_FORMAT = 1


def to_json(session: KataSession, verdicts: list[Verdict]) -> dict[str, Any]:
    """The run as data: per kata its status, progress and every check's outcome and message."""
    katas = []
    for verdict in verdicts:
        kata = verdict.kata
        entry = session.progress.of(kata.name)
        katas.append(
            {
                "name": kata.name,
                "topic": kata.topic,
                "level": kata.level,
                "seed_question": kata.seed,
                "status": verdict.status,
                "solved": verdict.solved_now,
                "newly_solved": verdict.newly_solved,
                "solved_in": entry.solved_in,
                "attempts": entry.attempts,
                "hints_used": entry.hints_shown,
                "hints_available": len(kata.hints),
                "first_attempt": entry.first_attempt,
                "first_solved": entry.first_solved,
                "seconds_to_solve": entry.seconds_to_solve,
                "interview": {
                    "started": entry.interview_started,
                    "solved": entry.interview_solved,
                    "runs": entry.interview_attempts,
                    "seconds_to_solve": entry.interview_seconds,
                },
                "file": str(session.stub_file(kata)),
                "checks": [
                    {"name": check.name, "outcome": check.outcome, "message": check.message}
                    for check in verdict.run.checks.values()
                ],
                "checks_in_kata": verdict.run.total,
            }
        )
    statuses = [verdict.status for verdict in verdicts]
    return {
        "format": JSON_FORMAT,
        "tool": f"pytest-tfkatas {__version__}",
        "generated": progress.now(),
        "mode": "interview" if session.interview else "practice",
        "katas_dir": str(session.katas_dir),
        "summary": {
            "selected": len(verdicts),
            "solved": sum(verdict.solved_now for verdict in verdicts),
            "by_status": {status: statuses.count(status) for status in dict.fromkeys(statuses)},
        },
        "katas": katas,
    }


def write_json(session: KataSession, verdicts: list[Verdict], file: Path) -> None:
    write_atomically(file, json.dumps(to_json(session, verdicts), indent=2, ensure_ascii=False) + "\n")
