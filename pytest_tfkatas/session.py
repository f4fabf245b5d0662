"""A kata run's coordinator, registered only when ``--katas`` is given.

It owns the selection and the learner's record, and hands every other job to a plugin object or
module of one concern: the tally of check results (``tally.py``), the learner's modules
(``learner.py``), the process environment (``environment.py``), the rules that turn a kata's
checks and record into a verdict (``rules.py``), and the report (``report.py``), which renders
plain data. The guards of each check (time limit, offline switch, zoo watch, output trimming) are
plugins of their own, registered beside it (see ``plugin.py``).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Generator
from pathlib import Path
from typing import Any

import pytest

from pytest_tfkatas import catalogue, progress, report, rules
from pytest_tfkatas.console import console_for
from pytest_tfkatas.focus import sections_hidden
from pytest_tfkatas.harness import KataFunction
from pytest_tfkatas.learner import LearnerModules
from pytest_tfkatas.options import Options
from pytest_tfkatas.paths import BUNDLED_DIR, CHECKOUT_DIR, CHECKS_DIR, kata_of_path, shown
from pytest_tfkatas.results import Verdict
from pytest_tfkatas.tally import Tally
from pytest_tfkatas.workspace import katas_dir_of

__all__ = ["SESSION_KEY", "KataSession"]

SESSION_KEY = pytest.StashKey["KataSession"]()


def _name_checks_by_kata(config: pytest.Config) -> None:
    """Where pytest names a check relative to the current folder (the short summary's "FAILED
    ..." lines), name it by its kata instead: "stable_log_softmax::test_x". The checks live in the
    installed package, so a path from the learner's folder ("../../site-packages/...") would point
    at a file they never edit. Config.cwd_relative_nodeid is a public method that pytest's
    terminal reporter calls for those lines; it is replaced on this config only."""
    real = config.cwd_relative_nodeid

    def cwd_relative_nodeid(nodeid: Any) -> Any:
        path = nodeid.path if hasattr(nodeid, "path") else str(nodeid).partition("::")[0]
        found = kata_of_path(CHECKS_DIR / path)
        if found is None:
            return real(nodeid)
        if hasattr(nodeid, "path"):  # pytest >= 9.2: a structured NodeId
            return dataclasses.replace(nodeid, path=found[1])
        return found[1] + str(nodeid)[len(path) :]

    config.cwd_relative_nodeid = cwd_relative_nodeid  # type: ignore[method-assign]


class KataSession:
    def __init__(self, config: pytest.Config, options: Options) -> None:
        self.config = config
        self.options = options
        self.catalogue = catalogue.load()
        try:
            self.selected = self.catalogue.select(options.katas or "", options.level)
        except catalogue.SelectionError as error:
            raise pytest.UsageError(str(error)) from None
        self.mode = rules.Mode(interview=options.interview, show_solutions=options.solutions)
        if options.interview and options.solutions:
            raise pytest.UsageError("--katas-solutions reveals solutions, which interview mode does not")
        if options.watch and options.numprocesses:
            raise pytest.UsageError("--katas-watch re-checks katas in this process: leave out -n")
        self.katas_dir = katas_dir_of(options, must_exist=True)
        self.is_worker = hasattr(config, "workerinput")
        self.tally = Tally(self.names)
        #: the latest verdict of each kata decided so far (watch mode decides a kata many times)
        self._verdicts: dict[str, Verdict] = {}
        self._lines: list[str] = []
        self._concluded = False
        cache = getattr(config, "cache", None)
        known = {kata.name for kata in self.catalogue.katas}
        self.progress, self.warnings = progress.load(cache, self.katas_dir, known, options.rootpath)
        if self.katas_dir == (CHECKOUT_DIR / "katas").resolve() and not (BUNDLED_DIR / "katas").is_dir():
            self.warnings.append(
                "tfkatas: these are the pristine stubs of the pytest-tfkatas checkout, which its own "
                "tests check: leave them as they are. Practise in a workspace of your own: "
                "pytest --katas-init ~/tfkatas, then cd ~/tfkatas && pytest --katas ..."
            )
        self._saved_progress = self.progress.to_json()
        # pytest's failure sections and short summary are hidden unless asked for (-v, --tb, -r):
        # the report shows each failing kata's first failing check. Interview mode hides them at
        # any verbosity (they carry the tips); so does watch mode (they would come only after the
        # watching ends).
        self.sections_hidden = sections_hidden(config, always=options.interview or options.watch)
        # Collect the checks folder, not single files: node ids then name the topic and the
        # kata ("model_loading/test_generate_text.py::...") wherever the package is installed.
        # pytest_ignore_collect keeps out the checks of katas that were not selected.
        config.args[:] = [str(CHECKS_DIR)]
        self._check_files = {kata.check_path for kata in self.selected}
        self.learner = LearnerModules(self.katas_dir)
        _name_checks_by_kata(config)

    # -- selection and files --------------------------------------------------------------

    @property
    def names(self) -> list[str]:
        return [kata.name for kata in self.selected]

    @property
    def interview(self) -> bool:
        return self.mode.interview

    @property
    def watch(self) -> bool:
        return self.options.watch

    def stub_file(self, kata: catalogue.Kata) -> Path:
        return self.learner.file(kata)

    def function(self, kata: catalogue.Kata, node: Any = None) -> KataFunction:
        """The learner's function for ``kata`` (see ``LearnerModules.function``); ``node``, the
        check asking, matters only where one run checks many learners (grading)."""
        return self.learner.function(kata)

    def locate(self, node: Any, name: str) -> tuple[Path, str]:
        """The learner's file of kata ``name`` and the module name it is imported as."""
        kata = self.catalogue.kata(name)
        return self.learner.file(kata), self.learner.module_name(kata)

    def forget(self, kata: catalogue.Kata) -> None:
        """Forget what this run knows of ``kata``, before checking it again (watch mode): its
        module is imported afresh and its checks are tallied anew."""
        self.learner.forget(kata)
        self.tally.forget(kata.name)

    def status_of(self, kata: catalogue.Kata) -> str:
        """The kata's status as the record says after this run's verdicts: "solved", "regressed",
        "attempted" or "new"."""
        return self._record(kata).status

    def record_report(self, report_: pytest.TestReport) -> None:
        """Tally one report of a check that watch mode ran itself."""
        self.tally.pytest_runtest_logreport(report_)

    # -- hooks ----------------------------------------------------------------------------

    def pytest_report_header(self) -> list[str]:
        topics = list(dict.fromkeys(kata.topic for kata in self.selected))  # in catalogue order
        return [
            f"tfkatas: {len(self.selected)} katas ({', '.join(topics)}), "
            f"implementations from {shown(self.katas_dir)}"
        ]

    def pytest_ignore_collect(self, collection_path: Path) -> bool | None:
        if collection_path.suffix == ".py" and kata_of_path(collection_path):
            return collection_path not in self._check_files
        return None

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.is_worker:
            return
        if not self._concluded:
            self._lines = self.conclude(self.selected)
        unchecked = [name for name, verdict in self._verdicts.items() if verdict.status == "skipped"]
        if unchecked and session.exitstatus == pytest.ExitCode.OK:
            # A kata whose checks could not run (a missing extra) is not passed: the run says so.
            session.exitstatus = pytest.ExitCode.TESTS_FAILED

    @pytest.hookimpl(wrapper=True)
    def pytest_runtestloop(self, session: pytest.Session) -> Generator[None, object, object]:
        result = yield
        if self.options.watch and not self.is_worker:
            from pytest_tfkatas import watch

            self._concluded = True
            watch.Watcher(self, session).run(self.conclude(self.selected))
        return result

    def pytest_terminal_summary(self, terminalreporter: Any) -> None:
        if self._lines:
            terminalreporter.write("\n".join(self._lines) + "\n")

    def pytest_unconfigure(self) -> None:
        self.learner.close()

    # -- the conclusion -------------------------------------------------------------------

    def conclude(self, katas: tuple[catalogue.Kata, ...]) -> list[str]:
        """Decide ``katas`` from what this run saw of them: progress updated and saved, the JSON
        report written, and the report's lines returned (empty without a terminal)."""
        stamp = progress.now()
        verdicts = [
            rules.decide(
                kata,
                self.tally.sorted_run(kata.name),
                self._record(kata),
                self.mode,
                stamp,
                self._digest(kata),
            )
            for kata in katas
        ]
        self._save_progress()
        self._verdicts.update({verdict.kata.name: verdict for verdict in verdicts})
        if self.options.report:
            every = self._data(tuple(self._verdicts.values()))
            self._write_json_report(Path(self.options.report), every)
        lines = []
        if self.config.pluginmanager.has_plugin("terminalreporter"):
            console = console_for(self.config)
            lines = report.build(self._data(tuple(verdicts)), console, quiet=self.config.get_verbosity() < 0)
        self.warnings.clear()  # said once
        return lines

    def _digest(self, kata: catalogue.Kata) -> str:
        """A digest of the kata's file as it is now ("" when it cannot be read): a hint climbs only
        when it changed since the last failing run."""
        try:
            return hashlib.sha256(self.stub_file(kata).read_bytes()).hexdigest()[:16]
        except OSError:
            return ""

    def _record(self, kata: catalogue.Kata) -> progress.KataProgress:
        return self.progress.of(kata.name)

    def _data(self, verdicts: tuple[Verdict, ...]) -> report.ReportData:
        return report.ReportData(
            verdicts=verdicts,
            catalogue=self.catalogue,
            records=self.progress.katas,
            katas_dir=self.katas_dir,
            mode=self.mode,
            watch=self.options.watch,
            warnings=tuple(self.warnings),
            sections_hidden=self.sections_hidden,
        )

    def _write_json_report(self, file: Path, data: report.ReportData) -> None:
        if not file.is_absolute():
            file = self.options.invocation_dir / file
        try:
            report.write_json(data, file)
        except OSError as error:
            self.warnings.append(f"tfkatas: could not write the report {file}: {error}")

    def _save_progress(self) -> None:
        cache = getattr(self.config, "cache", None)
        current = self.progress.to_json()
        if cache is None or current == self._saved_progress:
            return
        try:
            progress.save(cache, self.progress)
        except OSError as error:
            self.warnings.append(f"tfkatas: could not save your progress: {error}")
            return
        self._saved_progress = current
