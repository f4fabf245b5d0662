"""Grading a class: ``pytest --katas-grade SUBMISSIONS`` checks every learner's folder in one process
(torch and transformers imported once) and writes a gradebook. Registered in place of the kata
session under ``--katas-grade``.

Every check is parametrized with the learner it meets (``tfkatas_learner``, see ``fixtures.py``), so
pytest runs each check once per learner, learner by learner, and pytest-xdist's ``loadgroup``
keeps a learner's checks on one worker. Each learner's files are imported as modules of a package
of their own (``tfkatas_learner_<n>``), from their text, never from a cached ``.pyc``, and
``sys.dont_write_bytecode`` keeps their helper imports from writing one. Nothing of the learner's
is trusted but their kata files: the verdicts come from this run, their progress record is not
read, and their ``conftest.py``, ``pytest.ini`` or ``sitecustomize.py`` never load (the checks
are collected from the installed package, and no learner folder is on ``sys.path`` at start-up).
A check runs in its own temporary folder, so nothing is written into a submission.
"""

from __future__ import annotations

import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from pytest_tfkatas import catalogue, gradebook
from pytest_tfkatas.focus import sections_hidden
from pytest_tfkatas.harness import KataFunction
from pytest_tfkatas.learner import LEARNER_PACKAGE, LearnerModules
from pytest_tfkatas.options import Options
from pytest_tfkatas.paths import CHECKS_DIR, LEARNER_PARAM, REFERENCE_DIR, kata_of_path, learner_of, shown
from pytest_tfkatas.results import KataRun
from pytest_tfkatas.tally import failure_message, skip_message

__all__ = ["GradeSession", "Submission", "discover"]

#: user_properties keys of a graded check (they travel to the controller under pytest-xdist)
_LEARNER, _KATA, _CHECK, _INDEX, _TOTAL = "learner", "kata", "check", "check_index", "checks_in_kata"


@dataclass(frozen=True)
class Submission:
    """One learner: their folder's name, and their katas folder (None: nothing to grade)."""

    name: str
    katas_dir: Path | None
    note: str = ""


def discover(root: Path, roster: list[str] | None = None) -> list[Submission]:
    """The learners under ``root``: every folder (but hidden ones), whose katas are in ``katas/``
    (a workspace of --katas-init) or in the folder itself (a bare katas folder). With a roster,
    a listed learner without a folder is kept, with nothing to grade; a folder not on the roster
    is graded and noted."""
    folders = sorted(
        (path for path in root.iterdir() if path.is_dir() and not path.name.startswith((".", "_"))),
        key=lambda path: path.name,
    )
    found = {folder.name: folder for folder in folders}
    names = list(roster) if roster is not None else list(found)
    if roster is not None:
        names += [name for name in found if name not in roster]
    learners = []
    for name in names:
        folder = found.get(name)
        if folder is None:
            learners.append(Submission(name, None, "no submission"))
            continue
        katas = folder / "katas"
        note = "not on the roster" if roster is not None and name not in roster else ""
        learners.append(Submission(name, (katas if katas.is_dir() else folder).resolve(), note))
    return learners


def read_roster(path: Path) -> list[str]:
    """One learner a line; blank lines and ``#`` comments left out; a CSV's first column."""
    names = []
    for line in path.read_text(encoding="utf-8").splitlines():
        name = line.split("#", 1)[0].split(",", 1)[0].strip()
        if name and name.lower() not in ("learner", "name") and name not in names:
            names.append(name)
    return names


def _resolved(options: Options, value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else options.invocation_dir / path


class GradeSession:
    """The coordinator of a grading run (the kata session's counterpart for a whole class)."""

    def __init__(self, config: pytest.Config, options: Options) -> None:
        self.config = config
        self.options = options
        self.started = time.monotonic()
        conflicting = [
            flag
            for flag, given in {
                "--katas-dir": options.katas_dir is not None,
                "--katas-watch": options.watch,
                "--katas-interview": options.interview,
                "--katas-report": options.report is not None,
                "--katas-solutions": options.solutions,
            }.items()
            if given
        ]
        if conflicting:
            raise pytest.UsageError(
                "--katas-grade grades the learners' folders under its DIR: leave out "
                + ", ".join(conflicting)
            )
        self.catalogue = catalogue.load()
        try:
            self.selected = self.catalogue.select(options.katas or "all", options.level)
        except catalogue.SelectionError as error:
            raise pytest.UsageError(str(error)) from None
        assert options.grade is not None
        self.root = _resolved(options, options.grade).resolve()
        if not self.root.is_dir():
            raise pytest.UsageError(f"--katas-grade: no folder at {self.root}")
        roster = None
        if options.roster is not None:
            roster_file = _resolved(options, options.roster)
            try:
                roster = read_roster(roster_file)
            except (OSError, UnicodeDecodeError) as error:
                raise pytest.UsageError(f"--katas-roster: cannot read {roster_file}: {error}") from None
        self.submissions = discover(self.root, roster)
        self.graded = [s for s in self.submissions if s.katas_dir is not None]
        if not self.graded:
            raise pytest.UsageError(
                f"--katas-grade: no learner folder in {self.root} (one folder per learner, each a "
                "workspace made by --katas-init or a folder of kata files)"
            )
        try:
            points_file = _resolved(options, options.points) if options.points else None
            self.points = gradebook.load_points(points_file, (kata.name for kata in self.catalogue.katas))
        except gradebook.PointsError as error:
            raise pytest.UsageError(f"--katas-points: {error}") from None
        self.output = _resolved(options, options.gradebook or "gradebook")
        #: the guards' "learner's folder": every learner's files are under the submissions folder
        self.katas_dir = self.root
        self.is_worker = hasattr(config, "workerinput")
        self._packages = {s.name: f"{LEARNER_PACKAGE}_{i}" for i, s in enumerate(self.graded)}
        self._modules: dict[str, LearnerModules] = {}
        self.runs: dict[tuple[str, str], KataRun] = defaultdict(KataRun)
        self.order: dict[tuple[str, str], int] = {}
        self.files: list[Path] = []
        self.problem: str | None = None
        #: how the files were compared, for the gradebook
        self.integrity = (
            f"files compared with copydetect (names, comments and layout normalised); "
            f"flagged at {self.points.threshold:.0%} alike or more"
        )
        self._bytecode = sys.dont_write_bytecode
        sys.dont_write_bytecode = True  # a learner's helper module gets no __pycache__ either
        if options.numprocesses and getattr(config.option, "dist", "no") in ("no", "load"):
            config.option.dist = "loadgroup"  # a learner's checks stay together on one worker
        sections_hidden(config, always=True)  # thousands of failures: the gradebook holds them
        config.args[:] = [str(CHECKS_DIR)]
        self._check_files = {kata.check_path for kata in self.selected}
        from pytest_tfkatas.session import _name_checks_by_kata

        _name_checks_by_kata(config)

    # -- the learners' modules --------------------------------------------------------------

    def _modules_of(self, learner: str | None) -> LearnerModules:
        if learner is None or learner not in self._packages:
            raise pytest.UsageError(f"a check ran without a learner to grade ({learner!r})")
        if learner not in self._modules:
            # The checks come learner by learner: the previous learner's modules (and whatever
            # their code holds, a model loaded at import, say) are let go before the next one's.
            for other in list(self._modules):
                self._modules.pop(other).close()
            submission = next(s for s in self.graded if s.name == learner)
            assert submission.katas_dir is not None
            self._modules[learner] = LearnerModules(submission.katas_dir, self._packages[learner])
        return self._modules[learner]

    def function(self, kata: catalogue.Kata, node: Any = None) -> KataFunction:
        return self._modules_of(learner_of(node)).function(kata)

    def locate(self, node: Any, name: str) -> tuple[Path, str]:
        modules = self._modules_of(learner_of(node))
        kata = self.catalogue.kata(name)
        return modules.file(kata), modules.module_name(kata)

    # -- collection -------------------------------------------------------------------------

    def pytest_ignore_collect(self, collection_path: Path) -> bool | None:
        if collection_path.suffix == ".py" and kata_of_path(collection_path):
            return collection_path not in self._check_files
        return None

    def pytest_generate_tests(self, metafunc: pytest.Metafunc) -> None:
        if LEARNER_PARAM in metafunc.fixturenames:
            names = [s.name for s in self.graded]
            # session scope: pytest orders the checks learner by learner
            metafunc.parametrize(LEARNER_PARAM, names, ids=[f"@@{n}" for n in names], scope="session")

    @pytest.hookimpl(tryfirst=True)
    def pytest_collection_modifyitems(self, config: pytest.Config, items: list[pytest.Item]) -> None:
        counts: Counter[tuple[str, str]] = Counter()
        for item in items:
            learner, found = learner_of(item), kata_of_path(item.path)
            if learner is not None and found is not None:
                counts[learner, found[1]] += 1
        grouped = config.pluginmanager.has_plugin("xdist")
        for index, item in enumerate(items):
            learner, found = learner_of(item), kata_of_path(item.path)
            if learner is None or found is None:
                continue
            item.user_properties.extend(
                [
                    (_LEARNER, learner),
                    (_KATA, found[1]),
                    (_CHECK, _check_name(item, learner)),
                    (_INDEX, index),
                    (_TOTAL, counts[learner, found[1]]),
                ]
            )
            if grouped:
                item.add_marker(pytest.mark.xdist_group(learner))

    # -- results ----------------------------------------------------------------------------

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        properties = dict(report.user_properties)
        learner, kata, check = properties.get(_LEARNER), properties.get(_KATA), properties.get(_CHECK)
        if not (isinstance(learner, str) and isinstance(kata, str) and isinstance(check, str)):
            return
        run = self.runs[learner, kata]
        run.total = int(properties.get(_TOTAL, 0)) or None  # type: ignore[call-overload]
        self.order[learner, f"{kata}::{check}"] = int(properties.get(_INDEX, 0))  # type: ignore[call-overload]
        if report.failed:
            run.record(check, "failed", failure_message(report))
        elif report.skipped:
            run.record(check, "skipped", skip_message(report))
        elif report.when == "call":
            run.record(check, "passed", "")

    def book(self) -> gradebook.Gradebook:
        """The gradebook of what this run saw."""
        names = [kata.name for kata in self.selected]
        checks = {
            kata: max((run.total or 0 for (_, k), run in self.runs.items() if k == kata), default=0)
            for kata in names
        }
        learners = []
        for submission in self.submissions:
            grades = {}
            for kata in names:
                run = self.runs.get((submission.name, kata))
                if run is not None:
                    run.sort(
                        {
                            check: self.order.get((submission.name, f"{kata}::{check}"), 0)
                            for check in run.checks
                        }
                    )
                grades[kata] = gradebook.grade(
                    kata, run if submission.katas_dir else None, self.points, checks[kata]
                )
            notes = [submission.note] if submission.note else []
            skipped = [kata for kata, grade in grades.items() if grade.status == "skipped"]
            if skipped:
                notes.append(f"could not be checked here (a missing extra): {', '.join(skipped)}")
            learners.append(
                gradebook.LearnerGrade(
                    submission.name,
                    shown_relative(submission.katas_dir, self.root) if submission.katas_dir else None,
                    grades,
                    notes,
                )
            )
        return gradebook.Gradebook(
            katas=names,
            topics={kata.name: kata.topic for kata in self.selected},
            learners=learners,
            points=self.points,
            flags=self._flags(),
            created=datetime.now(UTC).isoformat(timespec="seconds"),
            integrity=self.integrity,
        )

    def _flags(self) -> list[gradebook.Flag]:
        import importlib.util

        from pytest_tfkatas import integrity
        from pytest_tfkatas.paths import StubUnavailable, pristine_stub

        if importlib.util.find_spec("copydetect") is None:
            self.integrity = 'not checked: copydetect is not installed (pip install "pytest-tfkatas[grade]")'
            return []

        flags: list[gradebook.Flag] = []
        for kata in self.selected:
            try:
                stub: str | None = pristine_stub(kata.relpath)
            except StubUnavailable:
                stub = None
            files = {}
            for submission in self.graded:
                assert submission.katas_dir is not None
                try:
                    text = (submission.katas_dir / kata.relpath).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    continue
                if stub is None or text.strip() != stub.strip():
                    files[submission.name] = text
            reference_file = REFERENCE_DIR / kata.relpath
            reference = reference_file.read_text(encoding="utf-8") if reference_file.is_file() else None
            if files:
                flags += integrity.alike(
                    kata.name, files, stub=stub, reference=reference, threshold=self.points.threshold
                )
        return flags

    # -- the end ------------------------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker or session.exitstatus == pytest.ExitCode.INTERRUPTED:
            return
        self._book = self.book()
        try:
            self.files = gradebook.write_all(self._book, self.output)
        except OSError as error:
            self.problem = f"tfkatas: could not write the gradebook into {self.output}: {error}"
            session.exitstatus = pytest.ExitCode.INTERNAL_ERROR
            return
        if session.exitstatus == pytest.ExitCode.TESTS_FAILED:
            # A learner's failing check is a grade, not a failure of the run.
            session.exitstatus = pytest.ExitCode.OK

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self.is_worker:
            return
        write = terminalreporter.write_line
        if self.problem:
            write(self.problem, red=True)
            return
        book = getattr(self, "_book", None)
        if book is None or not self.files:
            return
        width = max(len(learner.learner) for learner in book.learners)
        write("")
        write(
            f"tfkatas: graded {len(self.graded)} learners x {len(self.selected)} katas "
            f"in {time.monotonic() - self.started:.0f} s",
            bold=True,
        )
        for learner in book.learners:
            flags = len(book.flags_of(learner.learner))
            notes = "; ".join(learner.notes)
            write(
                f"  {learner.learner:<{width}}  {learner.total:g}/{book.max_total:g} points, "
                f"{learner.solved}/{len(book.katas)} solved"
                + (f", {flags} integrity flag(s)" if flags else "")
                + (f" ({notes})" if notes else "")
            )
        write("gradebook: " + ", ".join(shown(path) for path in self.files))

    def pytest_unconfigure(self) -> None:
        for modules in self._modules.values():
            modules.close()
        sys.dont_write_bytecode = self._bytecode


def shown_relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix() or "."
    except ValueError:
        return str(path)


def _check_name(item: pytest.Item, learner: str) -> str:
    """The check's name without its learner: ``test_x[1e4]`` for ``test_x[1e4-@@alice]``."""
    callspec = getattr(item, "callspec", None)
    original = getattr(item, "originalname", item.name)
    if callspec is None:
        return item.name
    mark = f"@@{learner}"
    parts = callspec.id.split("-")
    if mark in parts:
        parts.remove(mark)
        rest = "-".join(parts)
    else:
        rest = callspec.id.replace(mark, "").strip("-")
    return f"{original}[{rest}]" if rest else original
