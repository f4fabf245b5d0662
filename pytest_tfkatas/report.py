"""The learner-facing report of a kata run, built as lines of text and only then written.

Rendered with rich: in colour where pytest would use colour (``--color``, ``NO_COLOR``,
``FORCE_COLOR``, a terminal or not), as plain text otherwise.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.rule import Rule
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from pytest_tfkatas.paths import shown

if TYPE_CHECKING:
    from pytest_tfkatas.catalogue import Kata
    from pytest_tfkatas.session import KataRun, KataSession, Status

__all__ = ["Verdict", "build"]

_BAR_WIDTH = 20
_TRAILING_BLANKS = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")
#: Lines of a failure message shown in the summary; the full text is in pytest's own report.
_MESSAGE_LINES = 12


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


def build(session: KataSession, verdicts: list[Verdict]) -> list[str]:
    config = session.config
    writer = config.get_terminal_writer()
    console = Console(
        file=io.StringIO(),
        force_terminal=writer.hasmarkup,
        no_color=not writer.hasmarkup,
        color_system="standard" if writer.hasmarkup else None,
        width=max(writer.fullwidth, 60),
        highlight=False,
        emoji=False,
    )
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
    show_all = session.config.getoption("katas_solutions")
    for verdict in verdicts:
        if verdict.newly_solved or (show_all and verdict.solved_now):
            yield _solved(verdict, quiet)
    if show_all:
        selected = {verdict.kata.name for verdict in verdicts}
        for kata in session.catalogue.katas:
            if kata.name not in selected and session.progress.of(kata.name).solved:
                yield _reference(kata, quiet, headline=f"{kata.name} (solved before)")
    yield _table(session, verdicts)


def _kata_block(session: KataSession, verdict: Verdict) -> RenderableType | None:
    """What the report says of a kata that did not pass: None for a solved or unrun one."""
    name = verdict.kata.name
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
    if len(lines) > _MESSAGE_LINES:
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


def _solved(verdict: Verdict, quiet: bool) -> RenderableType:
    kata = verdict.kata
    headline = f"{kata.name} solved!" if verdict.newly_solved else f"{kata.name} (solved)"
    return _reference(kata, quiet, headline)


def _reference(kata: Kata, quiet: bool, headline: str) -> RenderableType:
    path = kata.reference_path
    head = Text.assemble(("✓ ", "bold green"), (headline, "bold green"))
    if not path.is_file():
        return Group(head, Text("  (the reference solutions are not part of this installation)", style="dim"))
    where = Text.assemble("  Compare your code with the reference solution: ", (shown(path), "cyan"))
    if quiet:
        return Group(head, where)
    code = Syntax(
        path.read_text(encoding="utf-8"),
        "python",
        theme="ansi_dark",
        line_numbers=True,
        background_color="default",
        word_wrap=True,
    )
    return Group(head, where, Padding(code, (0, 0, 0, 2), expand=False), Text(""))


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
