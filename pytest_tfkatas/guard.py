"""Guards around every check of a kata run: what a learner's misbehaving code may not do to the run.

Learners hand the checks broken code all day; whatever it does, the run finishes, the failure is
told in terms of the learner's own file and line, and every other kata keeps its right verdict:

- a time limit per check (``--katas-timeout``, ini ``katas_timeout``, default 60 s) stops an
  endless loop, in the learner's function or at the import of the learner's file;
- captured output and failure texts are cut to a head and a tail, so printing megabytes does not
  flood the terminal;
- the on-disk model zoo is fingerprinted, and a check whose code wrote into it fails, and the
  model is rebuilt before the next check;
- connections to anything but this machine are refused at once, so nothing hangs on a network;
- ``os._exit()`` in the learner's code fails the check instead of ending the run unreported.

The time limit needs SIGALRM (Linux, macOS) and the main thread; elsewhere no limit applies. It
counts the learner's time only: while a library module is imported (torch, transformers, anything
outside the learner's folder) the clock is paused, and a stop is never raised inside Python's
import machinery. A stop landing there would leave a half-initialised module in ``sys.modules``
and break that library for every later check of the run.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import ipaddress
import linecache
import os
import shutil
import signal
import socket
import sys
import threading
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import pytest

from pytest_tfkatas.harness import OFFLINE_MARK, ExitCalled, KataTimeLimit
from pytest_tfkatas.options import Options
from pytest_tfkatas.paths import kata_of_path

__all__ = ["Guard", "KataTimeLimit", "NetworkBlockedError", "NetworkLookupBlockedError", "trim"]

#: After the limit, the stop is raised again this often for as long as the learner's code runs:
#: a bare ``except:`` that swallows one stop does not swallow the next.
REPEAT_SECONDS = 1.0

#: A stop due while Python's import machinery runs waits this long, and looks again.
IMPORT_RETRY_SECONDS = 0.02

#: Captured output (per section) and long failure texts are cut to a head and a tail.
MAX_SECTION = 5_000
MAX_MESSAGE = 2_000
MAX_LINE = 500
MAX_LINES = 120

LOOK_FOR = (
    "Look for a loop whose exit condition never changes, a retry that waits or tries again for ever, "
    "a wait for something that never comes, or generate() asked for a huge max_new_tokens (or "
    "max_length)."
)
LOOK_FOR_AT_IMPORT = (
    "Code at the top level of your file runs when the file is imported: keep the work inside the "
    "function, and look there for a loop whose exit condition never changes."
)
CAUGHT = (
    "Your code caught the stop and went on: a bare `except:` (or `except BaseException:`) "
    "swallows it. Catch only the errors you expect, e.g. `except OSError:`."
)
NOT_LEARNER = (
    "That is not in your code: the check's own work took that long, perhaps because this machine "
    "is busy. If it keeps happening, raise the limit."
)


class NetworkBlockedError(ConnectionRefusedError):
    """A connection to another machine, refused during a kata run."""


class NetworkLookupBlockedError(socket.gaierror):
    """A host name lookup (DNS), refused during a kata run."""


def trim(text: str, limit: int = MAX_SECTION) -> str:
    """``text`` cut to its head and tail, with a line saying how much was cut, if over ``limit``."""
    if len(text) <= limit:
        return text
    head_size, tail_size = limit * 2 // 3, limit // 4
    head, tail = text[:head_size], text[-tail_size:]
    # Cut at line ends where there are any nearby: whole lines read better.
    if (end := head.rfind("\n", head_size // 2)) > 0:
        head = head[: end + 1]
    if (start := tail.find("\n", 0, tail_size // 2)) >= 0:
        tail = tail[start + 1 :]
    cut = len(text) - len(head) - len(tail)
    return f"{head.rstrip(chr(10))}\n... {cut} characters cut ...\n{tail}"


def _trim_lines(lines: list[str]) -> list[str]:
    lines = [trim(line, MAX_LINE) for line in lines]
    if len(lines) <= MAX_LINES:
        return lines
    head, tail = MAX_LINES * 2 // 3, MAX_LINES // 4
    return [*lines[:head], f"... {len(lines) - head - tail} lines cut ...", *lines[-tail:]]


def _trim_report(report: pytest.TestReport) -> None:
    """Cut the captured output and the failure text of ``report`` to a readable size, in place."""
    report.sections = [(title, trim(content)) for title, content in report.sections]
    longrepr = report.longrepr
    if longrepr is None:
        return
    if isinstance(longrepr, str):
        report.longrepr = trim(longrepr)
        return
    if isinstance(longrepr, tuple):
        if len(longrepr) == 3 and isinstance(longrepr[2], str):
            report.longrepr = (longrepr[0], longrepr[1], trim(longrepr[2], MAX_MESSAGE))
        return
    chain = getattr(longrepr, "chain", None) or [
        (getattr(longrepr, "reprtraceback", None), getattr(longrepr, "reprcrash", None), None)
    ]
    for traceback, crash, _ in chain:
        if crash is not None and isinstance(getattr(crash, "message", None), str):
            crash.message = trim(crash.message, MAX_MESSAGE)
        for entry in getattr(traceback, "reprentries", None) or []:
            if isinstance(getattr(entry, "lines", None), list):
                entry.lines = _trim_lines(entry.lines)
            location = getattr(entry, "reprfileloc", None)
            if location is not None and isinstance(getattr(location, "message", None), str):
                location.message = trim(location.message, MAX_LINE)
    sections = getattr(longrepr, "sections", None)
    if isinstance(sections, list):
        longrepr.sections = [(title, trim(content), sep) for title, content, sep in sections]  # type: ignore[union-attr]


def _fail(message: str) -> NoReturn:
    __tracebackhide__ = True
    raise pytest.fail.Exception(message, pytrace=False)


@dataclass
class _Place:
    """Where a stopped check was running."""

    file: str
    shown: str
    line: int
    function: str
    learner: bool

    @property
    def code(self) -> str:
        return linecache.getline(self.file, self.line).strip()

    def __str__(self) -> str:
        return f"{self.shown}, line {self.line}"


@dataclass
class _Alarm:
    """One armed time limit: a check's setup or call."""

    item: pytest.Item
    phase: str
    armed: bool = True
    #: how many times the stop was raised (more than once: the learner's code caught it)
    fires: int = 0
    place: _Place | None = None
    #: a line tracer was set to stop the learner's code that caught the stop
    tracing: bool = False
    previous_trace: Any = None


class Guard:
    """The guards, as a pytest plugin object registered for the whole kata run."""

    def __init__(self, config: pytest.Config, options: Options, katas_dir: Path) -> None:
        self.config = config
        self.options = options
        #: the learner's folder, ending in a separator: frames whose file starts so are theirs
        self.katas_prefix = str(katas_dir) + os.sep
        self.limit = options.time_limit()
        self.can_alarm = hasattr(signal, "SIGALRM") and hasattr(signal, "setitimer")
        if self.limit and not self.can_alarm and options.timeout_option is not None:
            config.issue_config_time_warning(
                pytest.PytestConfigWarning(
                    "--katas-timeout has no effect on this platform (it has no SIGALRM, e.g. Windows): "
                    "checks run without a time limit; stop an endless loop with Ctrl+C."
                ),
                stacklevel=2,
            )
        self._alarm: _Alarm | None = None
        #: how many calls the kata's function had when the current check's call began
        self._calls_before = 0
        #: kata name -> the message of the check that was stopped
        self._timed_out: dict[str, str] = {}
        self._zoo = _ZooWatch()
        self._offline = _Offline()
        self._invocation_dir = options.invocation_dir
        self._imports = _LibraryImports(self)
        #: how deep the main thread is in imports of library modules (the clock is paused while > 0)
        self._import_depth = 0
        #: the timer as it was when the clock was paused: (seconds left, interval)
        self._paused: tuple[float, float] | None = None

    # -- the learner's folder -----------------------------------------------------------------

    def _katas_dir(self) -> str:
        return self.katas_prefix

    def _shown(self, file: str) -> str:
        try:
            return str(Path(file).relative_to(self._invocation_dir))
        except ValueError:
            return file

    def _place_of(self, frame: FrameType | None) -> _Place | None:
        """The deepest frame of the learner's code on the stack, else the innermost frame."""
        katas_dir = self._katas_dir()
        innermost = frame
        while frame is not None:
            file = frame.f_code.co_filename
            if katas_dir and file.startswith(katas_dir):
                return _Place(file, self._shown(file), frame.f_lineno, frame.f_code.co_name, True)
            frame = frame.f_back
        if innermost is None:
            return None
        file = innermost.f_code.co_filename
        return _Place(file, self._shown(file), innermost.f_lineno, innermost.f_code.co_name, False)

    # -- the time limit -----------------------------------------------------------------------

    def _limit_applies(self) -> bool:
        return (
            bool(self.limit)
            and self.can_alarm
            and threading.current_thread() is threading.main_thread()
            and not self.options.debugging
        )

    @contextlib.contextmanager
    def _time_limit(self, item: pytest.Item, phase: str) -> Iterator[_Alarm | None]:
        if not self._limit_applies():
            yield None
            return
        assert self.limit is not None
        alarm = _Alarm(item, phase)
        self._alarm = alarm
        self._imports.install()
        previous_handler = signal.signal(signal.SIGALRM, self._on_alarm)
        previous_timer = signal.setitimer(signal.ITIMER_REAL, self.limit, REPEAT_SECONDS)
        try:
            yield alarm
        finally:
            alarm.armed = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            if alarm.tracing:
                sys.settrace(alarm.previous_trace)
            signal.signal(signal.SIGALRM, previous_handler)
            if previous_timer[0] > 0:  # someone else's timer: let it go on
                signal.setitimer(signal.ITIMER_REAL, *previous_timer)
            self._alarm = None

    def pause_clock(self) -> bool:
        """A library module starts importing: its time is not the learner's. True if this call
        paused the clock (then ``resume_clock`` must follow)."""
        if threading.current_thread() is not threading.main_thread():
            return False
        self._import_depth += 1
        if self._import_depth == 1 and self._alarm is not None and self._alarm.armed:
            left, interval = signal.setitimer(signal.ITIMER_REAL, 0)
            self._paused = (left, interval) if left > 0 else None
        return True

    def resume_clock(self) -> None:
        self._import_depth -= 1
        if self._import_depth > 0:
            return
        paused, self._paused = self._paused, None
        if paused is not None and self._alarm is not None and self._alarm.armed:
            signal.setitimer(signal.ITIMER_REAL, *paused)

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        alarm = self._alarm
        if alarm is None or not alarm.armed:
            return
        if self._import_depth > 0 or _in_import_machinery(frame, self._katas_dir()):
            # Never stop inside an import (a module half-initialised for the rest of the run):
            # look again just after it.
            signal.setitimer(signal.ITIMER_REAL, IMPORT_RETRY_SECONDS, REPEAT_SECONDS)
            return
        place = self._place_of(frame)
        if alarm.fires and (place is None or not place.learner):
            # The learner's code has been left since the first stop: nothing left to stop.
            signal.setitimer(signal.ITIMER_REAL, 0)
            return
        alarm.fires += 1
        if alarm.place is None or (place is not None and place.learner and not alarm.place.learner):
            alarm.place = place
        if alarm.fires > 1:
            self._trace_learner_lines(alarm, frame)
        raise KataTimeLimit(self._stop_message(alarm))

    def _trace_learner_lines(self, alarm: _Alarm, frame: FrameType | None) -> None:
        """The learner's code caught a stop: stop it again at its next line, wherever that is.

        A loop such as ``while True: try: time.sleep(1) except: pass`` would catch every stop
        that lands in its ``try``; the next line it runs, the ``pass`` of its handler, is outside.
        """
        katas_dir = self._katas_dir()
        if not katas_dir or alarm.tracing:
            return

        def stop_at_line(frame: FrameType, event: str, arg: object) -> Any:
            if event == "line" and alarm.armed:
                raise KataTimeLimit(self._stop_message(alarm))
            return stop_at_line

        def calls(frame: FrameType, event: str, arg: object) -> Any:
            return stop_at_line if frame.f_code.co_filename.startswith(katas_dir) else None

        while frame is not None:
            if frame.f_code.co_filename.startswith(katas_dir):
                frame.f_trace = stop_at_line
            frame = frame.f_back
        alarm.tracing = True
        alarm.previous_trace = sys.gettrace()
        sys.settrace(calls)

    def _stop_message(self, alarm: _Alarm) -> str:
        place = alarm.place
        limit = f"{self.limit:g} s"
        lines = []
        if alarm.phase == "call" and (call := _last_call(alarm.item, self._calls_before)):
            lines.append(f"Called {call}.")
        if place is None:
            lines.append(f"The check was stopped after {limit}, the time limit of a check.")
        elif place.learner and place.function == "<module>":
            lines += [
                f"It was stopped after {limit}, the time limit of a check, at {place}:",
                f"    {place.code}",
                LOOK_FOR_AT_IMPORT,
            ]
        elif place.learner:
            lines += [
                f"It was stopped after {limit}, the time limit of a check, at {place}:",
                f"    {place.code}",
                LOOK_FOR,
            ]
        else:
            what = "set-up" if alarm.phase == "setup" else "check"
            lines += [
                f"The {what} was stopped after {limit}, the time limit of a check, at {place}.",
                NOT_LEARNER,
            ]
        if alarm.fires > 1 and place is not None and place.learner:
            lines.append(CAUGHT)
        lines.append(
            f"The limit is {limit} a check: --katas-timeout SECONDS, or katas_timeout in your pytest "
            "configuration, changes it (0 turns it off)."
        )
        return "\n".join(lines)

    # -- hooks ----------------------------------------------------------------------------------

    def forget(self, kata: str) -> None:
        """Start ``kata`` afresh (watch mode, after a save): a stopped check no longer fails the rest."""
        self._timed_out.pop(kata, None)

    # The guards stand from the start of a check's set-up to the end of its teardown (pytest runs
    # the teardown whatever happened before), also where watch mode calls runtestprotocol itself.

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        self._zoo.start()
        _hub_offline()
        self._offline.install()
        self._calls_before = sys.maxsize  # the set-up imports the learner's file, it calls nothing
        try:
            return (yield)
        except BaseException:
            if written := self._zoo_written(item):
                _fail(written)
            raise

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(
        self, fixturedef: Any, request: pytest.FixtureRequest
    ) -> Generator[None, Any, Any]:
        """The time limit covers the ``kata`` fixture, which imports the learner's file; the checks'
        other fixtures (the zoo's models, data computed once) are ours, and take what they take."""
        if fixturedef.argname != "kata" and "kata" not in fixturedef.argnames:
            return (yield)
        error: BaseException | None = None
        result = None
        with self._time_limit(request.node, "setup") as alarm:  # type: ignore[arg-type]
            try:
                result = yield
            except BaseException as caught:
                error = caught
        # An import stopped by the limit gives a function whose every call fails with why.
        stopped_import = error is None and "KataTimeLimit" in (getattr(result, "broken", None) or "")
        if alarm is not None and alarm.fires and not stopped_import:
            _fail(self._stop_message(alarm))
        if error is not None:
            raise error
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        found = kata_of_path(item.path)
        if found and found[1] in self._timed_out:  # one check of this kata was stopped: fail at once
            _fail(self._timed_out[found[1]])
        kata = getattr(item, "funcargs", {}).get("kata")
        self._calls_before = getattr(kata, "calls", 0)
        self._zoo.add_new()
        error: BaseException | None = None
        with self._time_limit(item, "call") as alarm:
            try:
                yield
            except BaseException as caught:
                error = caught
        if written := self._zoo_written(item):
            _fail(written)
        if alarm is not None and alarm.fires:
            message = self._stop_message(alarm)
            if found and found[1] not in self._timed_out:
                where = f" at {alarm.place}" if alarm.place is not None else ""
                self._timed_out[found[1]] = (
                    f"Not run: the check {item.name} of {found[1]} was stopped after "
                    f"{self.limit:g} s{where}. Its other checks run again once that one ends in time."
                )
            _fail(message)
        if error is not None:
            raise error

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        try:
            return (yield)
        finally:
            self._offline.uninstall()

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        _trim_report(report)
        return report

    def pytest_unconfigure(self) -> None:
        self._offline.uninstall()
        self._imports.uninstall()

    # -- the zoo ------------------------------------------------------------------------------

    def _zoo_written(self, item: pytest.Item) -> str | None:
        changed = self._zoo.check()
        if not changed:
            return None
        call = _last_call(item, self._calls_before)
        lines = [f"Called {call}."] if call else []
        for name, files in changed.items():
            listed = ", ".join(files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
            lines.append(
                f"Your code wrote into the tiny model's own folder, {_zoo_expression(name)} ({listed}): "
                "every check loads the model from there, so it has been rebuilt."
            )
        lines.append(
            "Save into a folder of your own, e.g. the one the check passes, never into the folder a "
            "model or tokenizer was loaded from."
        )
        return "\n".join(lines)


def _last_call(item: pytest.Item, calls_before: int) -> str | None:
    """The learner's function as the check last called it, if the check has called it yet."""
    kata = getattr(item, "funcargs", {}).get("kata")
    if kata is None or getattr(kata, "calls", 0) <= calls_before:
        return None
    return str(kata.last_call)


def _zoo_expression(name: str) -> str:
    from pytest_tfkatas import zoo

    return zoo.expression_for(name) or repr(name)


# -- imports -----------------------------------------------------------------------------------


def _in_import_machinery(frame: FrameType | None, katas_dir: str | None) -> bool:
    """Whether ``frame`` runs inside Python's import machinery, below the learner's innermost frame
    (the learner's own modules may be stopped anywhere: they are the learner's to fix)."""
    while frame is not None:
        file = frame.f_code.co_filename
        if katas_dir and file.startswith(katas_dir):
            return False
        if file.startswith("<frozen importlib"):
            return True
        frame = frame.f_back
    return False


class _LibraryImports(importlib.abc.MetaPathFinder):
    """First on ``sys.meta_path`` while a check runs under the time limit: a module it finds
    outside the learner's folder is loaded by a loader that pauses the guard's clock.

    It finds nothing itself: it asks the finders after it, in order, as the import system would,
    and only wraps the loader of what they find. A module imported once is in ``sys.modules`` and
    never reaches a finder again, so this costs nothing after the first import.
    """

    def __init__(self, guard: Guard) -> None:
        self.guard = guard
        self._finding = False

    def install(self) -> None:
        if sys.meta_path and sys.meta_path[0] is self:
            return
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)
        sys.meta_path.insert(0, self)

    def uninstall(self) -> None:
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self)

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        alarm = self.guard._alarm
        if (
            self._finding
            or alarm is None
            or not alarm.armed
            or threading.current_thread() is not threading.main_thread()
        ):
            return None
        self._finding = True  # the finders we ask may import, and so ask us again
        try:
            spec = self._find_after_self(fullname, path, target)
        finally:
            self._finding = False
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        katas_dir = self.guard._katas_dir()
        if katas_dir and (spec.origin or "").startswith(katas_dir):
            return spec  # the learner's own module: its time is the learner's
        spec.loader = _ClockPausingLoader(spec.loader, self.guard)
        return spec

    def _find_after_self(
        self, fullname: str, path: Any, target: Any
    ) -> importlib.machinery.ModuleSpec | None:
        for finder in list(sys.meta_path):
            if finder is self:
                continue
            find = getattr(finder, "find_spec", None)
            if find is None:  # a legacy finder: leave the search to the import system
                return None
            spec = find(fullname, path, target)
            if spec is not None:
                return spec
        return None


class _ClockPausingLoader(importlib.abc.Loader):
    """A library module's own loader, with the guard's clock paused while it creates and runs the
    module. The module and its spec get the real loader back before the module's code runs."""

    def __init__(self, loader: Any, guard: Guard) -> None:
        self._loader = loader
        self._guard = guard

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        create = getattr(self._loader, "create_module", None)
        if create is None:
            return None
        paused = self._guard.pause_clock()
        try:
            return create(spec)
        finally:
            if paused:
                self._guard.resume_clock()

    def exec_module(self, module: Any) -> None:
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.loader is self:
            spec.loader = self._loader
        if getattr(module, "__loader__", None) is self:
            module.__loader__ = self._loader
        paused = self._guard.pause_clock()
        try:
            self._loader.exec_module(module)
        finally:
            if paused:
                self._guard.resume_clock()


class _ZooWatch:
    """Fingerprints of the zoo's model folders: (size, mtime, ctime) of every file.

    About 120 files, ~2 ms a check. A folder whose files changed, appeared or went away since the
    last check is removed and rebuilt. A folder that appears during a check (a model or variant
    built for it) is judged by the zoo's marker file, which a build writes last: a file changed
    after it was written by the check. We run as root often enough that file permissions cannot
    protect the zoo.
    """

    def __init__(self) -> None:
        self.root: Path | None = None
        self.prints: dict[str, dict[str, tuple[int, int, int]]] | None = None

    def start(self) -> None:
        if self.prints is None:
            from pytest_tfkatas import zoo

            self.root = zoo.cache_root()
            self.prints = self._scan()

    def _folders(self) -> list[os.DirEntry[str]]:
        assert self.root is not None
        try:
            return [e for e in os.scandir(self.root) if not e.name.startswith(".") and e.is_dir()]
        except OSError:
            return []

    def _scan(self, only: set[str] | None = None) -> dict[str, dict[str, tuple[int, int, int]]]:
        from pytest_tfkatas import zoo

        found: dict[str, dict[str, tuple[int, int, int]]] = {}
        for folder in self._folders():
            if only is not None and folder.name not in only:
                continue
            files = {}
            for directory, _, names in os.walk(folder.path):
                for name in names:
                    path = os.path.join(directory, name)
                    with contextlib.suppress(OSError):
                        stat = os.stat(path, follow_symlinks=False)
                        files[os.path.relpath(path, folder.path)] = (
                            stat.st_size,
                            stat.st_mtime_ns,
                            stat.st_ctime_ns,
                        )
            if zoo.MARKER in files:  # a complete build; others are not (yet) the zoo's
                found[folder.name] = files
        return found

    def add_new(self) -> None:
        """Fingerprint the folders built since the last look (by a check's set-up): one listing."""
        if self.prints is None:
            return
        new = {folder.name for folder in self._folders()} - self.prints.keys()
        if new:
            self.prints.update(self._scan(only=new))

    def check(self) -> dict[str, list[str]]:
        """The model folders changed since the last check (name -> changed files), repaired."""
        from pytest_tfkatas import zoo

        if self.prints is None:
            return {}
        now = self._scan()
        changed = {}
        for name, after in now.items():
            before = self.prints.get(name)
            if before is None:  # built during this check: nothing may be newer than its marker
                _, marker_mtime, marker_ctime = after[zoo.MARKER]
                files = sorted(
                    path
                    for path, (_, mtime, ctime) in after.items()
                    if mtime > marker_mtime or ctime > marker_ctime
                )
            else:
                files = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
            if files:
                changed[name] = files
        for name, before in self.prints.items():
            if name not in now:  # the folder, or its marker, went away
                changed[name] = sorted(before)
        if changed:
            for name in changed:
                self._repair(name)
            now = self._scan()
        self.prints = now
        return changed

    def _repair(self, name: str) -> None:
        """Remove the model's folder and build it again (the zoo's own deterministic build)."""
        from pytest_tfkatas import zoo

        assert self.root is not None
        shutil.rmtree(self.root / name, ignore_errors=True)
        zoo.rebuild(name)


# -- the network ------------------------------------------------------------------------------


def _hub_offline() -> None:
    """The Hub's offline switches on again, in case code of an earlier check turned them off.

    With them off, huggingface_hub retries a failed download for ~23 s a file (1+2+4+8+8 s of
    backoff) even though every connection is refused at once."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    constants = sys.modules.get("huggingface_hub.constants")
    if constants is not None:
        constants.HF_HUB_OFFLINE = True


def _is_local_host(host: object) -> bool:
    if host is None or host in ("", b""):
        return True
    if isinstance(host, bytes):
        host = host.decode(errors="replace")
    if not isinstance(host, str):
        return False
    name = host.strip("[]").split("%")[0].lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def _offline_text(what: str) -> str:
    return (
        f"{OFFLINE_MARK}: {what} was blocked. The checks never need the network: use the model, "
        "tokenizer or folder the check passes in."
    )


class _Offline:
    """Python-level connections and host lookups for other machines fail at once during checks.

    Loopback and unix sockets stay allowed (torch.distributed's gloo, a local test server).
    """

    def __init__(self) -> None:
        self.installed = False
        self._saved: dict[tuple[object, str], object] = {}

    def install(self) -> None:
        if self.installed:
            return
        real_connect = socket.socket.connect
        real_connect_ex = socket.socket.connect_ex
        real_getaddrinfo = socket.getaddrinfo
        real_gethostbyname = socket.gethostbyname
        real_gethostbyname_ex = socket.gethostbyname_ex
        own_name = socket.gethostname().lower()

        def refuse_remote(sock: socket.socket, address: Any) -> None:
            if sock.family in (socket.AF_INET, socket.AF_INET6) and isinstance(address, tuple):
                host = address[0]
                if not _is_local_host(host):
                    raise NetworkBlockedError(_offline_text(f"the connection to {host}:{address[1]}"))

        def connect(sock: socket.socket, address: Any) -> None:
            refuse_remote(sock, address)
            return real_connect(sock, address)

        def connect_ex(sock: socket.socket, address: Any) -> int:
            refuse_remote(sock, address)
            return real_connect_ex(sock, address)

        def refuse_lookup(host: Any) -> None:
            if not _is_local_host(host) and str(host).lower() != own_name:
                raise NetworkLookupBlockedError(socket.EAI_NONAME, _offline_text(f"looking up {host!r}"))

        def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
            refuse_lookup(host)
            return real_getaddrinfo(host, *args, **kwargs)

        def gethostbyname(host: str) -> str:
            refuse_lookup(host)
            return real_gethostbyname(host)

        def gethostbyname_ex(host: str) -> Any:
            refuse_lookup(host)
            return real_gethostbyname_ex(host)

        self._patch(socket.socket, "connect", connect)
        self._patch(socket.socket, "connect_ex", connect_ex)
        self._patch(socket, "getaddrinfo", getaddrinfo)
        self._patch(socket, "gethostbyname", gethostbyname)
        self._patch(socket, "gethostbyname_ex", gethostbyname_ex)
        self._patch(os, "_exit", _exit_guard(os.getpid(), os._exit))
        self.installed = True

    def _patch(self, owner: object, name: str, value: Callable[..., Any]) -> None:
        self._saved[(owner, name)] = vars(owner).get(name, _MISSING)
        setattr(owner, name, value)

    def uninstall(self) -> None:
        if not self.installed:
            return
        for (owner, name), value in self._saved.items():
            if value is _MISSING:
                delattr(owner, name)
            else:
                setattr(owner, name, value)
        self._saved.clear()
        self.installed = False


_MISSING = object()


def _exit_guard(pid: int, real_exit: Callable[[int], NoReturn]) -> Callable[[int], NoReturn]:
    """os._exit for a check: in pytest's own process it raises instead of ending the run unreported
    (progress unsaved); in a child process (fork) it exits as always."""

    def _exit(status: int) -> NoReturn:
        if os.getpid() != pid:
            real_exit(status)
        raise ExitCalled(status)

    return _exit
