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
from pathlib import Path
from typing import Protocol

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


#: The line printed whenever watch mode waits for a save (tests and the benchmark wait for it).
WATCHING = "tfkatas: watching"
#: Saves closer together than this (ms) are one save: editors write a file in several steps.
DEBOUNCE_STEP_MS = 50
#: ... up to this long (ms) a burst of saves, after which it is checked anyway.
DEBOUNCE_MAX_MS = 1600
#: How often (ms) the wait wakes up to see whether it was asked to stop.
WAKE_UP_MS = 500


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
                changes = notify.watch(DEBOUNCE_MAX_MS, DEBOUNCE_STEP_MS, WAKE_UP_MS, self.stop)
                if changes == "signal":  # Ctrl-C while waiting
                    break
                if not isinstance(changes, set):  # "timeout" or "stop"
                    continue
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
        self._write(["", "tfkatas: stopped watching; progress is saved."])

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
        # The module- and session-scoped fixtures of the kata's checks (data the checks compute
        # once, the zoo's models) stay set up between saves: the last check hands over to the
        # kata's first, so pytest tears down only what is narrower than the module. Before
        # another kata's checks, everything narrower than what they share is torn down.
        _teardown_exact(self.session, items[0])
        for index, item in enumerate(items):
            following = items[index + 1] if index + 1 < len(items) else items[0]
            for report in runtestprotocol(item, nextitem=following, log=False):
                self.kata_session.record_report(report)
        self._write(self.kata_session.conclude((kata,)))

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
