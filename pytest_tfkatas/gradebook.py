"""A class's gradebook: what grading saw of every learner's katas, their points, and the gradebook's
three files (CSV, JSON and one self-contained HTML page). Plain data, no pytest.

The verdicts come from the run that grades (``KataRun`` per learner and kata): nothing the learner
wrote is trusted but their kata files.
"""

from __future__ import annotations

import csv
import html
import io
import json
import math
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_tfkatas.results import CheckResult, KataRun

__all__ = [
    "Flag",
    "Gradebook",
    "KataGrade",
    "LearnerGrade",
    "Points",
    "PointsError",
    "load_points",
    "write_all",
]

#: Similarity at or above which two files are flagged (see integrity.py); [integrity] threshold
#: in the points file changes it.
DEFAULT_THRESHOLD = 0.9


class PointsError(ValueError):
    """The points file cannot be used: the message says where and why."""


@dataclass(frozen=True)
class Points:
    """Points per kata (1 unless the file says otherwise), and how they are earned."""

    per_kata: Mapping[str, float] = field(default_factory=dict)
    #: credit per passed check (points x passed / checks) rather than all or nothing
    partial_credit: bool = False
    threshold: float = DEFAULT_THRESHOLD
    source: str | None = None

    def of(self, kata: str) -> float:
        return float(self.per_kata.get(kata, 1.0))


def load_points(path: Path | None, known: Iterable[str]) -> Points:
    """Read a points file: ``[points] kata = 2``, ``[grading] partial_credit = true``, ``[integrity]
    threshold = 0.8``. None gives the defaults."""
    if path is None:
        return Points()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise PointsError(f"cannot read the points file {path}: {error.strerror or error}") from None
    except tomllib.TOMLDecodeError as error:
        raise PointsError(f"the points file {path} is not valid TOML: {error}") from None
    unknown_sections = sorted(set(data) - {"points", "grading", "integrity"})
    if unknown_sections:
        raise PointsError(
            f"{path}: unknown section(s) {unknown_sections}; the file has [points], [grading] and [integrity]"
        )
    names = set(known)
    per_kata: dict[str, float] = {}
    for kata, value in _table(data, "points", path).items():
        if kata not in names:
            raise PointsError(f"{path}: [points] names {kata!r}, which is not a kata")
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not value >= 0
            or math.isinf(value)
        ):
            raise PointsError(f"{path}: [points] {kata} = {value!r}: points are a number, 0 or more")
        per_kata[kata] = float(value)
    grading = _table(data, "grading", path)
    _only(grading, {"partial_credit"}, "grading", path)
    partial = grading.get("partial_credit", False)
    if not isinstance(partial, bool):
        raise PointsError(f"{path}: [grading] partial_credit = {partial!r}: true or false")
    integrity = _table(data, "integrity", path)
    _only(integrity, {"threshold"}, "integrity", path)
    threshold = integrity.get("threshold", DEFAULT_THRESHOLD)
    if isinstance(threshold, bool) or not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        raise PointsError(f"{path}: [integrity] threshold = {threshold!r}: a number above 0, at most 1")
    return Points(per_kata, partial, float(threshold), str(path))


def _table(data: dict[str, Any], name: str, path: Path) -> dict[str, Any]:
    table = data.get(name, {})
    if not isinstance(table, dict):
        raise PointsError(f"{path}: {name} must be a table, [{name}]")
    return table


def _only(table: dict[str, Any], keys: set[str], name: str, path: Path) -> None:
    unknown = sorted(set(table) - keys)
    if unknown:
        raise PointsError(
            f"{path}: [{name}] has no setting {unknown[0]!r} (it has {', '.join(sorted(keys))})"
        )


@dataclass(frozen=True)
class Flag:
    """Two files of one kata that are too alike: a learner's and the reference, or two learners'."""

    kata: str
    learner: str
    #: "reference", or the other learner
    other: str
    #: the larger of the two shares of matching code (0 to 1), after names, comments and layout
    #: are normalised
    similarity: float


@dataclass(frozen=True)
class KataGrade:
    kata: str
    status: str
    points: float
    max_points: float
    passed: int
    checks: int
    run: KataRun

    @property
    def first_failure(self) -> CheckResult | None:
        return self.run.first_failure() or self.run.first_skip()


@dataclass
class LearnerGrade:
    learner: str
    #: the folder graded, relative to the submissions folder; None: no submission
    folder: str | None
    katas: dict[str, KataGrade]
    notes: list[str] = field(default_factory=list)

    @property
    def total(self) -> float:
        return sum(grade.points for grade in self.katas.values())

    @property
    def solved(self) -> int:
        return sum(grade.status == "solved" for grade in self.katas.values())


@dataclass
class Gradebook:
    katas: list[str]
    topics: dict[str, str]
    learners: list[LearnerGrade]
    points: Points
    flags: list[Flag] = field(default_factory=list)
    created: str = ""
    #: how the files were compared (or why they were not)
    integrity: str = ""

    @property
    def max_total(self) -> float:
        return sum(self.points.of(kata) for kata in self.katas)

    def solve_rate(self, kata: str) -> float:
        graded = [learner for learner in self.learners if learner.folder is not None]
        if not graded:
            return 0.0
        return sum(learner.katas[kata].status == "solved" for learner in graded) / len(graded)

    def flags_of(self, learner: str) -> list[Flag]:
        return [flag for flag in self.flags if learner in (flag.learner, flag.other)]


def grade(kata: str, run: KataRun | None, points: Points, checks: int) -> KataGrade:
    """One learner's kata: its status from the checks this run gave, and its points."""
    run = run or KataRun()
    if run.total is None and checks:
        run.total = checks
    status = run.status
    passed = run.count("passed")
    worth = points.of(kata)
    if status == "solved":
        earned = worth
    elif points.partial_credit and run.total:
        earned = round(worth * passed / run.total, 4)
    else:
        earned = 0.0
    return KataGrade(kata, status, earned, worth, passed, run.total or 0, run)


# -- the files ------------------------------------------------------------------------------------


def write_all(book: Gradebook, folder: Path) -> list[Path]:
    """Write gradebook.csv, gradebook.json and gradebook.html into ``folder``; return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        folder / "gradebook.csv": to_csv(book),
        folder / "gradebook.json": json.dumps(to_json(book), indent=2, ensure_ascii=False) + "\n",
        folder / "gradebook.html": to_html(book),
    }
    for path, text in files.items():
        path.write_text(text, encoding="utf-8", newline="")
    return list(files)


def _number(value: float) -> str:
    return f"{value:g}"


def to_csv(book: Gradebook) -> str:
    """One row per learner, one column per kata (the points earned), the total, and the flags."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["learner", *book.katas, "total", "max_total", "solved", "flags", "notes"])
    for learner in book.learners:
        flags = "; ".join(
            f"{flag.kata}: {'reference' if flag.other == 'reference' else _partner(flag, learner.learner)} "
            f"{flag.similarity:.0%}"
            for flag in book.flags_of(learner.learner)
        )
        writer.writerow(
            [
                learner.learner,
                *(_number(learner.katas[kata].points) for kata in book.katas),
                _number(learner.total),
                _number(book.max_total),
                learner.solved,
                flags,
                "; ".join(learner.notes),
            ]
        )
    return out.getvalue()


def _partner(flag: Flag, learner: str) -> str:
    return flag.other if flag.learner == learner else flag.learner


def to_json(book: Gradebook) -> dict[str, Any]:
    return {
        "created": book.created,
        "points": {
            "file": book.points.source,
            "partial_credit": book.points.partial_credit,
            "integrity_threshold": book.points.threshold,
            "max_total": book.max_total,
        },
        "integrity": book.integrity,
        "katas": [
            {
                "name": kata,
                "topic": book.topics.get(kata, ""),
                "points": book.points.of(kata),
                "solve_rate": round(book.solve_rate(kata), 4),
            }
            for kata in book.katas
        ],
        "learners": [
            {
                "learner": learner.learner,
                "folder": learner.folder,
                "total": learner.total,
                "solved": learner.solved,
                "notes": learner.notes,
                "katas": {
                    kata: {
                        "status": grade_.status,
                        "points": grade_.points,
                        "max_points": grade_.max_points,
                        "checks_passed": grade_.passed,
                        "checks": grade_.checks,
                        "results": [
                            {"check": check.name, "outcome": check.outcome, "message": check.message}
                            for check in grade_.run.checks.values()
                        ],
                    }
                    for kata, grade_ in learner.katas.items()
                },
            }
            for learner in book.learners
        ],
        "flags": [
            {
                "kata": flag.kata,
                "learner": flag.learner,
                "other": flag.other,
                "similarity": round(flag.similarity, 4),
            }
            for flag in book.flags
        ],
    }


def _anchor(learner: str, kata: str) -> str:
    return "f-" + re.sub(r"[^A-Za-z0-9_-]", "_", f"{learner}--{kata}")


_SYMBOLS = {
    "solved": "✓",
    "failing": "✗",
    "not started": "·",
    "skipped": "?",
    "incomplete": "…",
    "not run": "–",
}

_STYLE = """
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; }
h1 { font-size: 1.4rem; } h2 { font-size: 1.1rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 0.85rem; }
th, td { border: 1px solid #d0d0d5; padding: 0.25rem 0.45rem; text-align: center; }
th { background: #f3f3f6; cursor: pointer; position: sticky; top: 0; }
th.kata { writing-mode: vertical-rl; transform: rotate(180deg); white-space: nowrap; }
td.learner, th.learner { text-align: left; }
td.solved { background: #c9efcf; } td.failing { background: #f8c9c4; }
td.not-started { background: #eeeeee; color: #777; } td.skipped, td.incomplete { background: #fbe7b0; }
td.not-run { background: #ffffff; color: #999; }
td a { color: inherit; text-decoration: none; display: block; }
tr.flagged td.learner::after { content: " ⚑"; color: #b3261e; }
.bars { display: grid; grid-template-columns: max-content 1fr max-content; gap: 0.2rem 0.6rem;
        align-items: center; max-width: 56rem; font-size: 0.85rem; }
.track { background: #ececf0; height: 0.9rem; }
.bar { background: #4a7bd0; height: 0.9rem; }
pre { background: #f6f6f8; padding: 0.6rem; white-space: pre-wrap; font-size: 0.8rem; }
.legend span { margin-right: 1rem; }
"""

_SCRIPT = """
document.querySelectorAll('#gradebook th').forEach(function (header, column) {
  header.addEventListener('click', function () {
    var body = document.querySelector('#gradebook tbody');
    var rows = Array.prototype.slice.call(body.rows);
    var descending = header.getAttribute('aria-sort') !== 'descending';
    document.querySelectorAll('#gradebook th').forEach(function (h) { h.removeAttribute('aria-sort'); });
    header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
    rows.sort(function (a, b) {
      var x = a.cells[column].getAttribute('data-value'), y = b.cells[column].getAttribute('data-value');
      var nx = parseFloat(x), ny = parseFloat(y), order;
      if (!isNaN(nx) && !isNaN(ny)) { order = nx - ny; } else { order = x.localeCompare(y); }
      return descending ? -order : order;
    });
    rows.forEach(function (row) { body.appendChild(row); });
  });
});
"""


def to_html(book: Gradebook) -> str:
    """One self-contained page: a sortable table of learners x katas, each kata's solve rate as a
    bar chart, the integrity flags, and every failing kata's first failing message."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        "<title>Gradebook</title>",
        f"<style>{_STYLE}</style></head><body>",
        "<h1>Gradebook</h1>",
        f"<p>{len(book.learners)} learners, {len(book.katas)} katas, {_number(book.max_total)} points in all"
        + (f" (points from {e(book.points.source)}" if book.points.source else " (1 point a kata")
        + (", partial credit per passed check)" if book.points.partial_credit else ")")
        + (f". Graded {e(book.created)}." if book.created else ".")
        + " Click a column's heading to sort; click a cell for its first failing message.</p>",
        '<p class="legend">'
        + "".join(f"<span>{symbol} {e(status)}</span>" for status, symbol in _SYMBOLS.items())
        + "</p>",
        '<table id="gradebook"><thead><tr>',
        '<th class="learner">learner</th><th>total</th><th>solved</th>',
        *(
            f'<th class="kata" title="{e(kata)} ({_number(book.points.of(kata))} points)">{e(kata)}</th>'
            for kata in book.katas
        ),
        "</tr></thead><tbody>",
    ]
    for learner in book.learners:
        flagged = " flagged" if book.flags_of(learner.learner) else ""
        parts.append(f'<tr class="learner-row{flagged}" data-learner="{e(learner.learner)}">')
        parts.append(f'<td class="learner" data-value="{e(learner.learner)}">{e(learner.learner)}</td>')
        parts.append(f'<td class="total" data-value="{learner.total:g}">{_number(learner.total)}</td>')
        parts.append(f'<td class="solved-count" data-value="{learner.solved}">{learner.solved}</td>')
        for kata in book.katas:
            grade_ = learner.katas[kata]
            css = grade_.status.replace(" ", "-")
            label = f"{_SYMBOLS.get(grade_.status, '')} {_number(grade_.points)}"
            title = f"{kata}: {grade_.status}, {grade_.passed}/{grade_.checks} checks"
            if grade_.first_failure is not None:
                cell = f'<a href="#{_anchor(learner.learner, kata)}">{label}</a>'
            else:
                cell = label
            parts.append(
                f'<td class="{css}" data-kata="{e(kata)}" data-status="{e(grade_.status)}" '
                f'data-value="{grade_.points:g}" title="{e(title)}">{cell}</td>'
            )
        parts.append("</tr>")
    parts.append("</tbody></table>")

    parts.append('<h2>Solve rate per kata</h2><div class="bars" id="solve-rates">')
    for kata in book.katas:
        rate = book.solve_rate(kata)
        parts.append(
            f'<span class="kata-name">{e(kata)}</span><div class="track">'
            f'<div class="bar" data-kata="{e(kata)}" data-rate="{rate:.4f}" style="width: {rate * 100:.1f}%">'
            f"</div></div><span>{rate:.0%}</span>"
        )
    parts.append("</div>")

    parts.append(
        '<h2>Integrity</h2><table id="flags"><thead><tr><th>kata</th><th>learner</th>'
        "<th>too alike with</th><th>similarity</th></tr></thead><tbody>"
    )
    for flag in book.flags:
        parts.append(
            f"<tr><td>{e(flag.kata)}</td><td>{e(flag.learner)}</td><td>{e(flag.other)}</td>"
            f"<td>{flag.similarity:.0%}</td></tr>"
        )
    if not book.flags:
        parts.append('<tr><td colspan="4">no two files are too alike</td></tr>')
    parts.append(
        "</tbody></table><p>A flag is a lead to look at, not a verdict: short katas have few ways to "
        "be written.</p>"
    )

    parts.append('<h2>First failing message of each kata not solved</h2><div id="failures">')
    for learner in book.learners:
        for kata in book.katas:
            grade_ = learner.katas[kata]
            failure = grade_.first_failure
            if failure is None:
                continue
            parts.append(
                f'<section id="{_anchor(learner.learner, kata)}" class="failure">'
                f"<h3>{e(learner.learner)} · {e(kata)} · {e(failure.name)}</h3>"
                f"<pre>{e(failure.message)}</pre></section>"
            )
    parts.append("</div>")
    parts.append(f"<script>{_SCRIPT}</script></body></html>")
    return "\n".join(parts) + "\n"
