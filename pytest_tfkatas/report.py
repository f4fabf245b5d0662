"""The learner-facing report of a kata run, rendered from plain data (``ReportData``) as lines of
text, and the JSON report (``--katas-report``) of the same data.

Rendered with rich on the console it is given (see ``console.py``): in colour where pytest would
use colour, as plain text otherwise.
"""

from __future__ import annotations

import ast
import difflib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from pytest_tfkatas import __version__, progress
from pytest_tfkatas.catalogue import Catalogue, Kata
from pytest_tfkatas.console import lines_of
from pytest_tfkatas.paths import shown, write_atomically
from pytest_tfkatas.results import Verdict
from pytest_tfkatas.rules import Mode, reveals, shows_tips

__all__ = ["ReportData", "build", "reference", "to_json", "write_json"]

_BAR_WIDTH = 20
#: Lines of a failure message shown in the report (pytest's --tb=short shows the whole text).
_MESSAGE_LINES = 12
#: Lines of the diff between the learner's solution and the reference shown at most.
_DIFF_LINES = 80


@dataclass(frozen=True)
class ReportData:
    """Everything the report shows: the verdicts of this run and the record they leave."""

    verdicts: tuple[Verdict, ...]
    catalogue: Catalogue
    #: every kata's record, after this run
    records: Mapping[str, progress.KataProgress]
    katas_dir: Path
    mode: Mode
    #: watch mode: the report of one save, printed while pytest's own failure report is not
    watch: bool = False
    warnings: tuple[str, ...] = ()
    #: pytest's own failure sections are not printed (the default): the report is all there is
    sections_hidden: bool = False

    def record(self, kata: Kata) -> progress.KataProgress:
        return self.records.get(kata.name) or progress.KataProgress()

    def stub_file(self, kata: Kata) -> Path:
        return self.katas_dir / kata.relpath


def build(data: ReportData, console: Console, *, quiet: bool = False) -> list[str]:
    """The report's lines, as ``console`` renders them (``quiet``: no code, only where it is)."""
    with console.capture() as capture:
        for renderable in _sections(data, quiet):
            console.print(renderable)
    return lines_of(capture.get())


def _sections(data: ReportData, quiet: bool) -> Iterator[RenderableType]:
    yield Rule("tfkatas", style="bold")
    for warning in data.warnings:
        yield Text(warning, style="yellow")
    blocks = _blocks(data)
    for index, block in enumerate(blocks):
        if index and isinstance(blocks[index - 1], Group):
            yield Text("")  # a blank line after each multi-line block
        yield block
    if data.mode.interview:
        yield _interview_table(data)
        return
    for verdict in data.verdicts:
        if reveals(verdict, data.mode):
            yield _solved(data, verdict, quiet)
    if data.mode.show_solutions:
        selected = {verdict.kata.name for verdict in data.verdicts}
        for kata in data.catalogue.katas:
            if kata.name not in selected and data.record(kata).solved:
                yield _reference(kata, quiet, headline=f"{kata.name} (solved before)")
    yield _table(data)


def _blocks(data: ReportData) -> list[RenderableType]:
    """A block per kata that did not pass, in order, where the katas of a topic not started yet
    share one line (a run of many fresh stubs stays short; --katas-list names them)."""
    fresh: dict[str, list[Verdict]] = {}
    for verdict in data.verdicts:
        if verdict.status == "not started":
            fresh.setdefault(verdict.kata.topic, []).append(verdict)
    blocks: list[RenderableType] = []
    for verdict in data.verdicts:
        together = fresh.get(verdict.kata.topic, [])
        if verdict.status == "not started" and len(together) > 1:
            if verdict is together[0]:
                folder = shown(data.stub_file(verdict.kata).parent)
                blocks.append(
                    Text.assemble(
                        ("○ ", "yellow"),
                        (verdict.kata.topic, "bold"),
                        f"  {len(together)} katas not started  ",
                        (f"{folder}/", "cyan"),
                    )
                )
            continue
        if (block := _kata_block(data, verdict)) is not None:
            blocks.append(block)
    return blocks


def _kata_block(data: ReportData, verdict: Verdict) -> RenderableType | None:
    """What the report says of a kata that did not pass: None for a solved or unrun one."""
    name = verdict.kata.name
    if verdict.status == "solved" and data.watch and not verdict.newly_solved:
        passing = f"  all {len(verdict.run.checks)} checks pass (solved before)"
        return Text.assemble(("✓ ", "bold green"), (name, "bold"), passing)
    if verdict.status == "failing":
        return _failing(data, verdict)
    if verdict.status == "not started":
        where = shown(data.stub_file(verdict.kata))
        return Text.assemble(("○ ", "yellow"), (name, "bold"), "  not started  ", (where, "cyan"))
    if verdict.status == "skipped":
        skip = verdict.run.first_skip()
        because = skip.message if skip else "its checks were skipped"
        return Text.assemble(
            ("✗ ", "bold red"), (name, "bold"), f"  could not be checked, so it is not passed: {because}"
        )
    if verdict.status == "incomplete":
        ran = sum(1 for check in verdict.run.checks.values() if check.outcome == "passed")
        return Text.assemble(
            ("- ", "yellow"),
            (name, "bold"),
            f": {ran} of {verdict.run.total or '?'} checks passed and the rest did not run "
            "(deselected or stopped early), so it is not counted as solved.",
        )
    return None


def _failing(data: ReportData, verdict: Verdict) -> RenderableType:
    kata = verdict.kata
    failure = verdict.run.first_failure()
    message = failure.message if failure else ""
    lines = message.splitlines()
    if not shows_tips(data.mode):
        lines = [line for line in lines if not line.lstrip().startswith("Tip:")]
    if len(lines) > _MESSAGE_LINES and not data.watch:  # watch mode shows every line
        more = len(lines) - _MESSAGE_LINES
        where = (
            f"pytest --katas {kata.name} --tb=short shows it whole"
            if data.sections_hidden
            else "the whole message is in the failure report above"
        )
        lines = [*lines[:_MESSAGE_LINES], f"... ({more} more lines: {where})"]
    failed = verdict.run.count("failed")
    parts: list[RenderableType] = [
        Text.assemble(
            ("✗ ", "bold red"),
            (kata.name, "bold"),
            f"  {failed} of {len(verdict.run.checks)} checks failing",
            ("  regressed: solved before, failing now" if verdict.solved_before else "", "yellow"),
            (f"  ({kata.topic} · {kata.level} · seed question {kata.question_label})", "dim"),
        ),
        Padding(
            Group(
                Text.assemble("edit ", (shown(data.stub_file(kata)), "cyan")),
                Text(f"first failing check: {failure.name if failure else '?'}", style="dim"),
                Padding(Text("\n".join(lines)), (0, 0, 0, 2), expand=False),
            ),
            (0, 0, 0, 2),
            expand=False,
        ),
    ]
    if data.watch:
        parts.append(Padding(_every_check(verdict), (0, 0, 0, 2), expand=False))
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


def _every_check(verdict: Verdict) -> RenderableType:
    """Watch mode: each check's verdict on a line of its own."""
    marks = {"passed": ("✓", "green"), "failed": ("✗", "red"), "skipped": ("-", "yellow")}
    lines = [Text("every check:", style="dim")]
    for check in verdict.run.checks.values():
        mark, style = marks[check.outcome]
        line = Text.assemble((f"{mark} ", style), check.name)
        if check.outcome == "failed":
            first = next((text for text in check.message.splitlines() if text.strip()), "")
            if first.startswith("Called "):  # the call is the same in most checks: say what differs
                first = next((text for text in check.message.splitlines()[1:] if text.strip()), first)
            line.append(f": {first.strip()}", style="dim")
        line.no_wrap = True
        line.overflow = "ellipsis"
        lines.append(line)
    return Group(*lines)


def _solved(data: ReportData, verdict: Verdict, quiet: bool) -> RenderableType:
    kata = verdict.kata
    headline = f"{kata.name} solved!" if verdict.newly_solved else f"{kata.name} (solved)"
    return _reference(kata, quiet, headline, learner_file=data.stub_file(kata))


def reference(kata: Kata, headline: str, learner_file: Path | None = None) -> RenderableType:
    """A solved kata's reference solution, after a diff against ``learner_file`` when given."""
    return _reference(kata, False, headline, learner_file)


def _reference(kata: Kata, quiet: bool, headline: str, learner_file: Path | None = None) -> RenderableType:
    path = kata.reference_path
    head = Text.assemble(("✓ ", "bold green"), (headline, "bold green"))
    if not path.is_file():
        return Group(
            head,
            Text("  (this installation has no reference solutions: your instructor has them)", style="dim"),
        )
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


def _table(data: ReportData) -> RenderableType:
    def solved(kata: Kata) -> bool:
        return data.record(kata).passing  # the records are updated by this run's verdicts

    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold")
    table.add_column("topic")
    table.add_column("solved", justify="right")
    table.add_column("progress")
    topics = list(dict.fromkeys(verdict.kata.topic for verdict in data.verdicts))
    for slug in topics:
        katas = data.catalogue.in_topic(slug)
        done = sum(solved(kata) for kata in katas)
        table.add_row(slug, f"{done}/{len(katas)}", _bar(done, len(katas)))
    everything = data.catalogue.katas
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


def _interview_table(data: ReportData) -> RenderableType:
    """The closing score of an interview: per kata, status, runs and time from first run to solve."""
    table = Table(box=None, pad_edge=False, show_edge=False, header_style="bold", title_justify="left")
    for column in ("kata", "level", "status", "runs", "time to solve"):
        table.add_column(column, justify="right" if column in ("runs", "time to solve") else "left")
    solved = 0
    total_seconds = 0.0
    scored = [v for v in data.verdicts if not data.record(v.kata).solved_in_practice_before_interview]
    left_out = [v.kata.name for v in data.verdicts if v not in scored]
    for verdict in data.verdicts:
        entry = data.record(verdict.kata)
        if verdict not in scored:
            table.add_row(
                verdict.kata.name, verdict.kata.level, Text("solved in practice", "dim"), "-", "not scored"
            )
            continue
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
        f"{solved}/{len(scored)} katas solved",
        f" ({100 * solved // max(len(scored), 1)}%)",
        f", {_duration(total_seconds)} in all" if solved else "",
        ". No hints and no solutions are shown in interview mode.",
    )
    parts: list[RenderableType] = [Text(""), Text("Interview", style="bold"), table, score]
    if left_out:
        parts.append(
            Text(
                f"Not scored: {', '.join(left_out)}, solved in practice before this interview met "
                f"{'it' if len(left_out) == 1 else 'them'}. An interview scores only katas met fresh: "
                f"pytest --katas-reset {','.join(left_out)} puts them back into play.",
                style="yellow",
            )
        )
    return Group(*parts)


def _duration(seconds: float) -> str:
    minutes, rest = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    return f"{minutes} min {rest:02d} s" if minutes else f"{rest} s"


# -- --katas-report --------------------------------------------------------------------------------

#: The version of the JSON report's layout.
JSON_FORMAT = 1


def to_json(data: ReportData) -> dict[str, Any]:
    """The run as data: per kata its status, progress and every check's outcome and message."""
    katas = []
    for verdict in data.verdicts:
        kata = verdict.kata
        entry = data.record(kata)
        katas.append(
            {
                "name": kata.name,
                "topic": kata.topic,
                "level": kata.level,
                "seed_question": kata.question,
                "seed_list": kata.seed,
                "status": verdict.status,
                "solved": entry.passing,
                "record_status": entry.status,
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
                "file": str(data.stub_file(kata)),
                "checks": [
                    {"name": check.name, "outcome": check.outcome, "message": check.message}
                    for check in verdict.run.checks.values()
                ],
                "checks_in_kata": verdict.run.total,
            }
        )
    statuses = [verdict.status for verdict in data.verdicts]
    return {
        "format": JSON_FORMAT,
        "tool": f"pytest-tfkatas {__version__}",
        "generated": progress.now(),
        "mode": "interview" if data.mode.interview else "practice",
        "katas_dir": str(data.katas_dir),
        "summary": {
            "selected": len(data.verdicts),
            "solved": sum(data.record(verdict.kata).passing for verdict in data.verdicts),
            "by_status": {status: statuses.count(status) for status in dict.fromkeys(statuses)},
        },
        "katas": katas,
    }


def write_json(data: ReportData, file: Path) -> None:
    write_atomically(file, json.dumps(to_json(data), indent=2, ensure_ascii=False) + "\n")
