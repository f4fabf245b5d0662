"""The time limit of a check (``--katas-timeout``, ini ``katas_timeout``, default 60 s): it stops an
endless loop in the learner's function or at the import of the learner's file, and names the
learner's line. A plugin object of its own.

It needs SIGALRM (Linux, macOS) and the main thread; elsewhere no limit applies. It counts the
learner's time only: while a library module is imported (torch, transformers, anything outside
the learner's folder) the clock is paused, and a stop is never raised inside Python's import
machinery. A stop landing there would leave a half-initialised module in ``sys.modules`` and break
that library for every later check of the run.
"""

from __future__ import annotations

import contextlib
import importlib.abc
import importlib.machinery
import linecache
import os
import signal
import sys
import threading
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn

import pytest

from pytest_tfkatas.harness import KataTimeLimit, calls_of, last_call_since
from pytest_tfkatas.options import Options
from pytest_tfkatas.paths import kata_of_path, learner_of

__all__ = ["TIME_LIMIT_PLUGIN", "KataTimeLimit", "TimeLimit"]

#: The name the plugin object is registered under (watch mode asks it to forget a kata).
TIME_LIMIT_PLUGIN = "tfkatas-time-limit"

#: After the limit, the stop is raised again this often for as long as the learner's code runs:
#: a bare ``except:`` that swallows one stop does not swallow the next.
REPEAT_SECONDS = 1.0

#: A stop due while Python's import machinery runs waits this long, and looks again.
IMPORT_RETRY_SECONDS = 0.02

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


class TimeLimit:
    """The time limit, as a pytest plugin object registered for the whole kata run."""

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
        if alarm.phase == "call" and (call := last_call_since(alarm.item, self._calls_before)):
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
        self._timed_out.pop(":" + kata, None)

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
        # grading checks many learners' files: a stopped check concerns its own learner's kata only
        key = (learner_of(item) or "") + ":" + found[1] if found else None
        if key in self._timed_out:  # one check of this kata was stopped: fail at once
            _fail(self._timed_out[key])
        self._calls_before = calls_of(item)
        error: BaseException | None = None
        with self._time_limit(item, "call") as alarm:
            try:
                yield
            except BaseException as caught:
                error = caught
        if alarm is not None and alarm.fires:
            message = self._stop_message(alarm)
            if found and key is not None and key not in self._timed_out:
                where = f" at {alarm.place}" if alarm.place is not None else ""
                self._timed_out[key] = (
                    f"Not run: the check {item.name} of {found[1]} was stopped after "
                    f"{self.limit:g} s{where}. Its other checks run again once that one ends in time."
                )
            _fail(message)
        if error is not None:
            raise error

    def pytest_unconfigure(self) -> None:
        self._imports.uninstall()


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
    outside the learner's folder is loaded by a loader that pauses the time limit's clock.

    It finds nothing itself: it asks the finders after it, in order, as the import system would,
    and only wraps the loader of what they find. A module imported once is in ``sys.modules`` and
    never reaches a finder again, so this costs nothing after the first import.
    """

    def __init__(self, time_limit: TimeLimit) -> None:
        self.time_limit = time_limit
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
        alarm = self.time_limit._alarm
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
        katas_dir = self.time_limit._katas_dir()
        if katas_dir and (spec.origin or "").startswith(katas_dir):
            return spec  # the learner's own module: its time is the learner's
        spec.loader = _ClockPausingLoader(spec.loader, self.time_limit)
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
    """A library module's own loader, with the time limit's clock paused while it creates and runs the
    module. The module and its spec get the real loader back before the module's code runs."""

    def __init__(self, loader: Any, time_limit: TimeLimit) -> None:
        self._loader = loader
        self._time_limit = time_limit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._loader, name)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Any:
        create = getattr(self._loader, "create_module", None)
        if create is None:
            return None
        paused = self._time_limit.pause_clock()
        try:
            return create(spec)
        finally:
            if paused:
                self._time_limit.resume_clock()

    def exec_module(self, module: Any) -> None:
        spec = getattr(module, "__spec__", None)
        if spec is not None and spec.loader is self:
            spec.loader = self._loader
        if getattr(module, "__loader__", None) is self:
            module.__loader__ = self._loader
        paused = self._time_limit.pause_clock()
        try:
            self._loader.exec_module(module)
        finally:
            if paused:
                self._time_limit.resume_clock()
