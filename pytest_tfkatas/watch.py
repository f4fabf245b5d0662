"""Watch mode (``--katas-watch``): after the first run, stay alive and check a kata again each time
its file is saved, in the same warm process.

torch and transformers stay imported, the zoo stays cached, the checks stay collected: a save
costs the learner's module (compiled afresh), the kata's checks, and the report. The checks run
through pytest's own ``runtestprotocol``, so fixtures, the guards and the tally behave as in a
normal run; their reports go to the kata tally, not to pytest's terminal output, and progress is
saved after every verdict exactly as a normal run saves it.
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path
from typing import Any, Protocol

import pytest

# runtestprotocol runs one item's set-up, call and teardown as pytest's own loop does; pytest has no
# public way to run an item again. tests/test_private_apis.py fails if it changes.
from _pytest.runner import runtestprotocol

from pytest_tfkatas.catalogue import Kata
from pytest_tfkatas.paths import kata_of_path, shown
from pytest_tfkatas.timelimit import TIME_LIMIT_PLUGIN

__all__ = ["WATCHING", "Checker", "Watcher"]


class Checker(Protocol):
    """What watch mode needs of the kata run (``session.KataSession``)."""

    katas_dir: Path
    selected: tuple[Kata, ...]

    def stub_file(self, kata: Kata) -> Path: ...
    def forget(self, kata: Kata) -> None: ...
    def record_report(self, report: pytest.TestReport) -> None: ...
    def conclude(self, katas: tuple[Kata, ...]) -> list[str]: ...
    def status_of(self, kata: Kata) -> str: ...


#: The line printed whenever watch mode waits for a save (tests and the benchmark wait for it).
WATCHING = "tfkatas: watching"
#: Saves closer together than this (ms) are one save: editors write a file in several steps, and
#: a learner may press save a few times in a row.
DEBOUNCE_STEP_MS = 300
#: ... up to this long (ms) a burst of saves, after which it is checked anyway.
DEBOUNCE_MAX_MS = 1600
#: How long (ms) one wait lasts when nothing is saved (the stop event and Ctrl-C end it at once). It
#: is longer than a burst: a wait that ended mid-burst would split the burst in two.
WAKE_UP_MS = 5000


class Watcher:
    def __init__(self, kata_session: Checker, session: pytest.Session) -> None:
        self.kata_session = kata_session
        self.session = session
        self.reporter = session.config.pluginmanager.getplugin("terminalreporter")
        self.katas_dir = kata_session.katas_dir
        self.by_file: dict[Path, Kata] = {
            kata_session.stub_file(kata).resolve(): kata for kata in kata_session.selected
        }
        self.items: dict[str, list[pytest.Item]] = {}
        for item in session.items:
            found = kata_of_path(item.path)
            if found:
                self.items.setdefault(found[1], []).append(item)
        #: set to stop watching from another thread (tests); Ctrl-C stops it too
        self.stop = threading.Event()
        #: the reports of the checks run again while watching, by node id (the latest run's)
        self.rerun: dict[str, list[pytest.TestReport]] = {}

    def run(self, first_report: list[str]) -> None:
        self._write(first_report)
        try:
            # watchfiles' own watch() starts watching only when first iterated, after the
            # "watching" line, so a save made right after that line could go unseen. RustNotify
            # (documented as watchfiles' Rust backend, though in a private module) watches from
            # the moment it exists and keeps what changes while a kata is being checked.
            # tests/test_private_apis.py fails if its signature changes.
            from watchfiles import Change
            from watchfiles._rust_notify import RustNotify
        except ImportError:  # a declared dependency: only a broken installation lacks it
            self._write(["tfkatas: --katas-watch needs the watchfiles package: pip install watchfiles"])
            return
        notify = RustNotify([str(self.katas_dir)], False, False, 300, True, False)
        try:
            self._waiting()
            while not self.stop.is_set():
                changes = notify.watch(DEBOUNCE_MAX_MS, 50, WAKE_UP_MS, self.stop)
                if changes == "signal":  # Ctrl-C while waiting
                    break
                if not isinstance(changes, set):  # "timeout" or "stop"
                    continue
                changes |= self._rest_of_burst(notify)
                saved = self._saved_katas({Path(path) for kind, path in changes if kind != Change.deleted})
                for kata in saved:
                    self.check(kata)
                if saved:
                    self._waiting()
        except KeyboardInterrupt:  # Ctrl-C while checking
            pass
        finally:
            notify.close()
            _teardown_exact(self.session, None)
            self._settle()
        self._write(["", "tfkatas: stopped watching; progress is saved.", *self._now()])

    def _now(self) -> list[str]:
        """What holds now, kata by kata: the summary on leaving watch mode."""
        return [f"  {kata.name}: {self.kata_session.status_of(kata)}" for kata in self.kata_session.selected]

    def _settle(self) -> None:
        """Make pytest's closing line ("N failed, M passed") and the exit code say what holds now:
        each check re-run while watching counts with its latest outcome, not the first run's."""
        if not self.rerun:
            return
        config = self.session.config
        if self.reporter is not None:
            # TerminalReporter.stats (category -> reports) is what pytest's closing line counts.
            stats = self.reporter.stats
            for category in list(stats):
                stats[category] = [
                    report for report in stats[category] if getattr(report, "nodeid", None) not in self.rerun
                ]
            for reports in self.rerun.values():
                for report in reports:
                    category = config.hook.pytest_report_teststatus(report=report, config=config)[0]
                    stats.setdefault(category, []).append(report)
        failing = {report.nodeid for reports in self.rerun.values() for report in reports if report.failed}
        before = {
            item.nodeid for items in self.items.values() for item in items if item.nodeid not in self.rerun
        }
        # The first run's failures of checks not run again still count.
        failed_first = set()
        if self.reporter is not None:
            failed_first = {
                getattr(report, "nodeid", None)
                for category in ("failed", "error")
                for report in self.reporter.stats.get(category, [])
            } & before
        self.session.testsfailed = len(failing | failed_first)

    def _rest_of_burst(self, notify: Any) -> set[tuple[int, str]]:
        """The changes that follow the first of a burst, until the folder has been quiet for
        DEBOUNCE_STEP_MS (or DEBOUNCE_MAX_MS have passed). watchfiles groups changes only while the
        set of (change, path) grows, so a second save of the same file would not prolong it."""
        more: set[tuple[int, str]] = set()
        deadline = time.monotonic() + DEBOUNCE_MAX_MS / 1000
        while time.monotonic() < deadline and not self.stop.is_set():
            changes = notify.watch(DEBOUNCE_STEP_MS, 50, DEBOUNCE_STEP_MS, self.stop)
            if changes == "signal":  # Ctrl-C in the middle of a burst
                raise KeyboardInterrupt
            if not isinstance(changes, set):  # quiet for DEBOUNCE_STEP_MS ("timeout"), or stopped
                break
            more |= changes
        return more

    def _saved_katas(self, paths: set[Path]) -> list[Kata]:
        """The selected katas whose files these changes touched and that exist now, in catalogue
        order. A save of a kata outside the selection is named, not checked."""
        touched = []
        for path in paths:
            resolved = path.resolve() if path.exists() else path
            kata = self.by_file.get(resolved)
            if kata is not None and resolved.is_file():
                touched.append(kata)
            elif path.suffix == ".py" and path.is_file() and path.parent.parent == self.katas_dir:
                self._write([f"tfkatas: {shown(path)} is not in this run's selection (--katas)."])
        order = {kata.name: index for index, kata in enumerate(self.kata_session.selected)}
        return sorted(set(touched), key=lambda kata: order[kata.name])

    def check(self, kata: Kata) -> None:
        """Run ``kata``'s checks again with its module imported afresh, and print the verdict."""
        self.kata_session.forget(kata)
        time_limit = self.session.config.pluginmanager.get_plugin(TIME_LIMIT_PLUGIN)
        if time_limit is not None:
            time_limit.forget(kata.name)
        items = self.items.get(kata.name, [])
        if not items:
            return
        stamp = time.strftime("%H:%M:%S")
        self._write(["", f"── {stamp} · {kata.name} saved: checking {len(items)} checks … ──"])
        # The module- and session-scoped fixtures of the kata's checks (data the checks compute
        # once, the zoo's models) stay set up between saves: the last check hands over to the
        # kata's first, so pytest tears down only what is narrower than the module. Before
        # another kata's checks, everything narrower than what they share is torn down.
        _teardown_exact(self.session, items[0])
        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < len(items) else items[0]
            reports = runtestprotocol(item, nextitem=following, log=False)
            self.rerun[item.nodeid] = reports
            for report in reports:
                self.kata_session.record_report(report)
        self._write(self.kata_session.conclude((kata,)))
        if self.kata_session.status_of(kata) == "solved":
            self._write(self._next_after(kata))

    def _next_after(self, kata: Kata) -> list[str]:
        """Once ``kata`` is solved: the next kata of the selection not solved yet, to move on to."""
        selected = list(self.kata_session.selected)
        start = selected.index(kata) + 1
        for candidate in [*selected[start:], *selected[:start]]:
            if self.kata_session.status_of(candidate) != "solved":
                where = shown(self.kata_session.stub_file(candidate))
                return [f"Next: {candidate.name}, in {where} (still watched: save it to check it)."]
        if len(selected) > 1:
            return [f"All {len(selected)} katas of this run are solved."]
        return []

    def _waiting(self) -> None:
        self._write([f"{WATCHING} {shown(self.katas_dir)}/ for saves of the selected katas (Ctrl-C to stop)"])

    def _write(self, lines: list[str]) -> None:
        if self.reporter is None:
            return
        for line in lines:
            self.reporter.write_line(line)
        self.reporter.flush()
        sys.stdout.flush()


def _teardown_exact(session: pytest.Session, nextitem: pytest.Item | None) -> None:
    """Tear down the fixtures ``nextitem`` does not share (all of them for None), as pytest does
    between two items. pytest keeps this state in ``session._setupstate`` and offers no public way
    to reach it; tests/test_private_apis.py fails if it changes."""
    session._setupstate.teardown_exact(nextitem)
