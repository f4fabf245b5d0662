"""The plugin's options: declared once (command line and ini), read once into a frozen object.

Every other module takes what it needs from ``Options``; none calls ``config.getoption``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

__all__ = ["LEVEL_CHOICES", "OPTIONS_KEY", "Options", "add_options"]

HELP = {
    "katas": "run the hidden checks of these katas: comma-separated topic slugs, kata names, "
    "or 'all' (e.g. --katas model_loading,generate_text)",
    "katas_dir": "the folder of implementations to check (default: katas/ in the rootdir); "
    "--katas-dir solutions checks the reference solutions",
    "katas_solutions": "show the reference solution of every kata solved so far (with --katas: "
    "after the run; alone: runs nothing)",
    "katas_list": "list the katas (of these topics or katas, default all) with your progress, "
    "and run nothing",
    "katas_reset": "restore the pristine stubs of these katas or topics (your file is kept as a "
    "backup beside it) and clear their progress; runs nothing",
    "katas_hint": "show the next hint of this kata (it counts as a hint used), like rustlings hint; "
    "runs nothing",
    "katas_init": "create a workspace of pristine stubs in DIR (default: the current folder), "
    "never overwriting a file; runs nothing",
    "katas_level": "only the katas of this level, within any selection (alone: all katas of it)",
    "katas_interview": "interview mode: no hints and no reveals; the time from first run to solve "
    "is recorded per kata, and the run ends with a score table",
    "katas_report": "write a JSON report of the selected katas to FILE: status, attempts, hints, "
    "time to solve, and each check's outcome and message",
    "katas_timeout": "fail a check of a kata after this many seconds (default 60; 0 turns the limit off)",
    "katas_watch": "after the run, stay alive and re-check a kata each time its file is saved",
    "katas_grade": "grade every learner's folder under DIR (each a workspace made by --katas-init, or "
    "a bare katas folder) in this one process, and write a gradebook (CSV, JSON, HTML); with "
    "--katas NAMES only those katas (default all); -n N spreads the learners over N workers",
    "katas_points": "a TOML file of points for grading: [points] kata_name = 2 (default 1 a kata), "
    "and [grading] partial_credit = true for credit per passed check",
    "katas_gradebook": "the folder for gradebook.csv, gradebook.json and gradebook.html "
    "(default: gradebook/ in the current folder)",
    "katas_roster": "a text file of the learners to grade, one folder name a line: a learner with no "
    "folder gets a row of zeros marked 'no submission'",
    "katas_classroom": "write .github/workflows/classroom.yml for GitHub Classroom: one autograding "
    "step per kata (these katas or topics, default all), with points from --katas-points; runs nothing",
}
LEVEL_CHOICES = ("basic", "intermediate", "advanced")
#: The info commands: they print or change files, and run no test.
INFO_OPTIONS = ("katas_init", "katas_list", "katas_reset", "katas_hint", "katas_classroom")


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("tfkatas", "coding katas for Hugging Face Transformers")
    group.addoption("--katas", metavar="NAMES", default=None, help=HELP["katas"])
    group.addoption("--katas-dir", metavar="DIR", default=None, help=HELP["katas_dir"])
    group.addoption("--katas-solutions", action="store_true", default=False, help=HELP["katas_solutions"])
    group.addoption(
        "--katas-list", metavar="NAMES", nargs="?", const="all", default=None, help=HELP["katas_list"]
    )
    group.addoption("--katas-reset", metavar="NAMES", default=None, help=HELP["katas_reset"])
    group.addoption("--katas-hint", metavar="NAME", default=None, help=HELP["katas_hint"])
    group.addoption(
        "--katas-init", metavar="DIR", nargs="?", const=".", default=None, help=HELP["katas_init"]
    )
    group.addoption("--katas-level", choices=LEVEL_CHOICES, default=None, help=HELP["katas_level"])
    group.addoption("--katas-interview", action="store_true", default=False, help=HELP["katas_interview"])
    group.addoption("--katas-report", metavar="FILE", default=None, help=HELP["katas_report"])
    group.addoption(
        "--katas-timeout", metavar="SECONDS", type=float, default=None, help=HELP["katas_timeout"]
    )
    group.addoption("--katas-watch", action="store_true", default=False, help=HELP["katas_watch"])
    group.addoption("--katas-grade", metavar="DIR", default=None, help=HELP["katas_grade"])
    group.addoption("--katas-points", metavar="FILE", default=None, help=HELP["katas_points"])
    group.addoption("--katas-gradebook", metavar="DIR", default=None, help=HELP["katas_gradebook"])
    group.addoption("--katas-roster", metavar="FILE", default=None, help=HELP["katas_roster"])
    group.addoption(
        "--katas-classroom",
        metavar="NAMES",
        nargs="?",
        const="all",
        default=None,
        help=HELP["katas_classroom"],
    )
    parser.addini("katas_timeout", help=HELP["katas_timeout"], default="60")


@dataclass(frozen=True)
class Options:
    """What the command line and the ini file say, as read once at configure time."""

    katas: str | None
    katas_dir: str | None
    solutions: bool
    list: str | None
    reset: str | None
    hint: str | None
    init: str | None
    level: str | None
    interview: bool
    report: str | None
    #: --katas-timeout as given (None: not given), and the ini's katas_timeout
    timeout_option: float | None
    timeout_ini: str
    watch: bool
    #: --katas-grade: the folder of the learners' submissions
    grade: str | None
    points: str | None
    gradebook: str | None
    roster: str | None
    classroom: str | None
    #: pytest-xdist's -n, when given
    numprocesses: Any
    #: a debugger is in charge (--pdb, --trace): no time limit
    debugging: bool
    invocation_dir: Path
    rootpath: Path

    @classmethod
    def from_config(cls, config: pytest.Config) -> Options:
        get = config.getoption
        return cls(
            katas=get("katas"),
            katas_dir=get("katas_dir"),
            solutions=get("katas_solutions"),
            list=get("katas_list"),
            reset=get("katas_reset"),
            hint=get("katas_hint"),
            init=get("katas_init"),
            level=get("katas_level"),
            interview=get("katas_interview"),
            report=get("katas_report"),
            timeout_option=get("katas_timeout", None),
            timeout_ini=config.getini("katas_timeout"),
            watch=get("katas_watch"),
            grade=get("katas_grade"),
            points=get("katas_points"),
            gradebook=get("katas_gradebook"),
            roster=get("katas_roster"),
            classroom=get("katas_classroom"),
            numprocesses=getattr(config.option, "numprocesses", None),
            debugging=bool(get("usepdb", False) or get("trace", False)),
            invocation_dir=config.invocation_params.dir,
            rootpath=config.rootpath,
        )

    @property
    def info_command(self) -> str | None:
        """The info command asked for, if any: 'init', 'list', 'reset', 'hint', or 'solutions'
        (--katas-solutions without a kata run)."""
        for name in INFO_OPTIONS:
            if getattr(self, name.removeprefix("katas_")) is not None:
                return name.removeprefix("katas_")
        run_only = [flag for flag in self.run_options_given() if flag != "--katas-dir"]
        if self.solutions and self.katas is None and self.level is None and not run_only:
            return "solutions"
        return None

    def run_options_given(self) -> list[str]:
        """The flags given that only make sense in a kata run."""
        given = {
            "--katas-dir": self.katas_dir is not None,
            "--katas-interview": self.interview,
            "--katas-report": self.report is not None,
            "--katas-timeout": self.timeout_option is not None,
            "--katas-watch": self.watch,
            "--katas-gradebook": self.gradebook is not None,
            "--katas-roster": self.roster is not None,
        }
        return [flag for flag, present in given.items() if present]

    def time_limit(self) -> float | None:
        """The time limit of a check in seconds, or None for none: --katas-timeout, else the ini.

        Raises pytest.UsageError for a value that is not 0 or a positive number.
        """
        source, value = "--katas-timeout", self.timeout_option
        if value is None:
            source, value = "katas_timeout (ini)", self.timeout_ini
        try:
            seconds = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            raise pytest.UsageError(f"{source} must be a number of seconds, got {value!r}") from None
        if seconds < 0 or seconds != seconds:  # negative, or NaN
            raise pytest.UsageError(
                f"{source} must be 0 (no limit) or a positive number of seconds, got {value!r}"
            )
        return seconds or None


#: Where the options read at configure time live for the rest of the run.
OPTIONS_KEY = pytest.StashKey[Options]()
