"""Process hygiene: what a learner's code leaves changed in pytest's own process is put back after
every check, and the check fails with the learner's line when their code changed it. A plugin object
of its own.

The learner's function runs in pytest's process, so whatever it changes for the whole process would
change every later check of the run: torch's default dtype and gradient mode, the working folder,
the warning filters, signal handlers and alarms, the recursion limit, ``sys.modules``, the library
functions the katas call (a monkeypatch left in place), threads and child processes left running.

Two windows are watched: the import of the learner's file (in the ``kata`` fixture) and the check's
own function (``pytest_pyfunc_call``, the innermost hook, so that the time limit's SIGALRM handler is
the one in place at both ends). A window takes a snapshot of the state when it opens and wraps the
setters of that state, noting the learner's line of each call that changes it; when it closes it
puts everything back and names what changed. The learner is blamed only for what their code did: a
setter called from their folder, or failing that a line of their file that mentions it; a change
that no line of theirs made (a library's filters added at import) is put back or left silently.
"""

from __future__ import annotations

import ast
import contextlib
import importlib.abc
import importlib.machinery
import io
import linecache
import os
import re
import signal
import sys
import threading
import time
import tokenize
import warnings
from collections.abc import Callable, Generator
from dataclasses import dataclass
from pathlib import Path
from types import FrameType, ModuleType
from typing import Any

import pytest

from pytest_tfkatas.harness import describe, fail, last_call_since
from pytest_tfkatas.options import Options
from pytest_tfkatas.paths import kata_of_path

__all__ = ["ENTRY_POINTS", "GRACE_SECONDS", "Locate", "ProcessHygiene"]

#: (a check's item, its kata's name) -> the learner's file of that kata and the module name it is
#: imported as, for the check's learner (grading checks many learners' files in one run)
Locate = Callable[[Any, str], tuple[Path, str]]

#: How long a closing window waits for the threads and child processes that the learner's code
#: started to end by themselves, before it stops them.
GRACE_SECONDS = 1.0
#: How long a thread gets to end once it is asked to stop.
STOP_SECONDS = 0.5
#: The signals whose handlers every window compares; any other one is compared when the learner's
#: code sets it through ``signal.signal``.
WATCHED_SIGNALS = ("SIGINT", "SIGTERM", "SIGALRM", "SIGCHLD", "SIGHUP", "SIGPIPE", "SIGQUIT", "SIGUSR1")

_AUTO_CLASSES = (
    "AutoConfig",
    "AutoModel",
    "AutoModelForCausalLM",
    "AutoModelForSequenceClassification",
    "AutoModelForMaskedLM",
    "AutoModelForSeq2SeqLM",
    "AutoModelForTokenClassification",
    "AutoModelForImageTextToText",
    "AutoModelForVision2Seq",
    "AutoTokenizer",
    "AutoImageProcessor",
    "AutoProcessor",
    "AutoFeatureExtractor",
)
#: The library objects the katas and their checks call, as attribute paths in an imported module. A
#: learner's monkeypatch of one, left in place, would change what every later check calls. Only
#: modules already imported are looked at, and a lazy attribute is never loaded for it.
ENTRY_POINTS: dict[str, tuple[str, ...]] = {
    "transformers": (
        *_AUTO_CLASSES,
        *(f"{name}.from_pretrained" for name in _AUTO_CLASSES),
        "pipeline",
        "set_seed",
        "Trainer",
        "Trainer.train",
        "Trainer.evaluate",
        "Trainer.predict",
        "Trainer.compute_loss",
        "TrainingArguments",
        "TextIteratorStreamer",
        "PreTrainedModel.from_pretrained",
        "PreTrainedModel.save_pretrained",
        "PreTrainedModel.generate",
        "PreTrainedTokenizerBase.from_pretrained",
        "PreTrainedTokenizerBase.save_pretrained",
        "PreTrainedTokenizerBase.__call__",
        "PreTrainedTokenizerBase.decode",
        "PreTrainedTokenizerBase.batch_decode",
    ),
    "torch": (
        "load",
        "save",
        "manual_seed",
        "no_grad",
        "nn.Module.__call__",
        "nn.functional.softmax",
        "nn.functional.log_softmax",
        "nn.functional.cross_entropy",
        "optim.AdamW",
        "utils.data.DataLoader",
    ),
    "datasets": ("load_dataset", "Dataset.map", "Dataset.from_dict", "Dataset.from_list"),
}

_MISSING: Any = object()
#: The frames between an import statement and a finder on ``sys.meta_path``.
_IMPORT_MACHINERY = ("<frozen importlib", os.path.dirname(importlib.machinery.__file__) + os.sep)
_PENDING = pytest.StashKey[str]()

TIP_DTYPE = (
    "give the dtype where you need it, e.g. torch.zeros(n, dtype=torch.float64) or model.to(torch.float64), "
    "instead of changing the default for the whole program."
)
TIP_GRAD = (
    "turn gradients off only around the code that needs it: `with torch.no_grad():` (or "
    "@torch.no_grad() on the function) turns them back on at the end."
)
TIP_CWD = (
    "build paths instead of changing folders, e.g. Path(folder) / 'results.json'; if something must run "
    "in another folder, change back in a `finally:` (or use `with contextlib.chdir(folder):`)."
)
TIP_WARNINGS = (
    "change the filters only for the code that needs it: `with warnings.catch_warnings(): "
    "warnings.simplefilter(...)` puts them back at the end of the block."
)
TIP_SIGNALS = (
    "keep what signal.signal() returns and set it back in a `finally:` (and cancel an alarm with "
    "signal.alarm(0)); to limit how long something waits, prefer a timeout argument, e.g. "
    "thread.join(timeout=5)."
)
TIP_RECURSION = "leave the recursion limit alone: write a deep recursion as a loop instead."
#: A line that may touch sys.modules: ``sys.modules`` itself, ``from sys import modules``, or
#: ``getattr(sys, "modules")``. Other uses of the word are not: ``model.modules()`` walks a torch
#: model's layers and ``torch.nn.modules.module`` is a torch module; counting them would blame the
#: learner for a library's own change, e.g. transformers replacing its lazy module on the first
#: from_pretrained of a process.
MODULES_MENTION = (
    r"\bsys\s*\.\s*modules\b"
    r"|\bfrom\s+sys\s+import\b[^#\n]*\bmodules\b"
    r"|\bsys\b[^#\n]*[\"']modules[\"']"
)
TIP_MODULES = (
    "leave sys.modules alone: to try a fake library, pass fake objects in, or use "
    "`with unittest.mock.patch.dict(sys.modules, {...}):`, which puts everything back at the end."
)
TIP_PATCH = (
    "to change what a library does for your own calls, wrap it in a function of your own; to fake it "
    "for a moment, `with unittest.mock.patch(...):` puts the original back at the end of the block."
)
TIP_THREADS = (
    "wait for the threads you start (thread.join()) before you return, and give each a way to end: a "
    "loop that checks a threading.Event, a timeout on every wait."
)
TIP_PROCESSES = (
    "a child process ends with os._exit(status) and its parent waits for it with os.waitpid(pid, 0); "
    "concurrent.futures.ProcessPoolExecutor in a `with` block (or multiprocessing with join()) does both."
)


@dataclass(frozen=True)
class _Place:
    """A line of the learner's code."""

    file: str
    line: int
    shown: str

    def __str__(self) -> str:
        return f"{self.shown}, line {self.line}"


@dataclass
class _Finding:
    """What one window found changed: a predicate for "It ..." (or "Importing x.py ..."), and a tip."""

    text: str
    tip: str


@dataclass
class _Started:
    """A thread or process that the learner's code started during a window, and where."""

    what: Any
    place: _Place


class ProcessHygiene:
    """The process's state around each check, as a pytest plugin object registered for the run."""

    def __init__(self, options: Options, katas_dir: Path, locate: Locate) -> None:
        #: the learner's folder (grading: the folder of every learner's), ending in a separator:
        #: frames whose file starts so are theirs
        self.katas_prefix = str(katas_dir) + os.sep
        #: a check's kata file and the module name it is imported as (see ``Locate``)
        self._locate = locate
        self._invocation_dir = options.invocation_dir
        #: the working folder before the check's ``kata`` fixture moved into the check's own folder
        self._cwd: str | None = None
        #: the code lines of the learner's files, by file, as of their (mtime, size)
        self._code: dict[str, tuple[tuple[int, int], dict[int, str]]] = {}
        self._mentions: dict[tuple[str, str], tuple[dict[int, str] | None, bool]] = {}

    def mentions(self, file: Path | None, pattern: str) -> bool:
        """Whether a line of the learner's ``file`` has code that matches ``pattern``."""
        lines = self.code_lines(file)
        key = (str(file), pattern)
        if self._mentions.get(key, (None,))[0] is not lines:
            self._mentions[key] = (lines, any(re.search(pattern, code) for code in lines.values()))
        return self._mentions[key][1]

    def code_lines(self, file: Path | None) -> dict[int, str]:
        """The code of the learner's ``file`` by line number (see ``_code_lines``), read once per save."""
        if file is None:
            return {}
        try:
            stat = file.stat()
        except OSError:
            return {}
        version = (stat.st_mtime_ns, stat.st_size)
        cached = self._code.get(str(file))
        if cached is None or cached[0] != version:
            linecache.checkcache(str(file))
            cached = self._code[str(file)] = (version, _code_lines(str(file)))
        return cached[1]

    def shown(self, file: str) -> str:
        try:
            return str(Path(file).relative_to(self._invocation_dir))
        except ValueError:
            return file

    def place_of(self, frame: FrameType | None, skip: tuple[str, ...] = ()) -> _Place | None:
        """The learner's line that called into ``frame``'s callee, passing over the frames of the files
        in ``skip`` (the library that implements the call); None if that caller is not the learner's."""
        while frame is not None and skip and frame.f_code.co_filename.startswith(skip):
            frame = frame.f_back
        if frame is None or not frame.f_code.co_filename.startswith(self.katas_prefix):
            return None
        file = frame.f_code.co_filename
        return _Place(file, frame.f_lineno, self.shown(file))

    # -- hooks ----------------------------------------------------------------------------------

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_fixture_setup(
        self, fixturedef: Any, request: pytest.FixtureRequest
    ) -> Generator[None, Any, Any]:
        """The import of the learner's file, in the ``kata`` fixture: what its top-level code leaves
        changed is put back at once, and the check fails when its call begins."""
        if fixturedef.argname != "kata":
            return (yield)
        self._cwd = _cwd()
        found = kata_of_path(request.path)
        located = self._locate(request.node, found[1]) if found is not None else None
        if located is None or located[1] in sys.modules:
            return (yield)  # imported by an earlier check: no code of the learner's runs here
        window = _Window(self, located[0], importing=True)
        result: Any = None
        try:
            result = yield
        finally:
            findings = window.close()
        if findings:
            where = getattr(result, "shown_path", "your file")
            request.node.stash[_PENDING] = _message(f"Importing {where}", None, findings)
        return result

    @pytest.hookimpl(wrapper=True, trylast=True)
    def pytest_pyfunc_call(self, pyfuncitem: pytest.Function) -> Generator[None, Any, Any]:
        """The check's own function, which calls the learner's: innermost of every wrapper."""
        if pending := pyfuncitem.stash.get(_PENDING, None):
            fail(pending)
        kata = pyfuncitem.funcargs.get("kata")
        calls_before = getattr(kata, "calls", 0)
        file = getattr(kata, "file", None)
        window = _Window(self, file if isinstance(file, Path) else None, importing=False)
        error: BaseException | None = None
        result: Any = None
        try:
            result = yield
        except BaseException as caught:
            error = caught
        if os.getpid() != window.pid:
            # A child process forked by the learner's code (through a reference to os.fork taken
            # before the check) came back here: it must not run the rest of the run a second time.
            os._exit(0)
        findings = window.close()
        if findings:
            fail(_message("It", last_call_since(pyfuncitem, calls_before), findings))
        if error is not None:
            raise error
        return result

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item) -> Generator[None, None, None]:
        try:
            return (yield)
        finally:
            self._tidy()

    def _tidy(self) -> None:
        """After a check's teardown: the working folder the check found, and the memory that the
        failing check's traceback holds (pytest keeps it in ``sys.last_traceback`` until the next
        failure; its frames hold the learner's locals, a 4 GiB buffer included) freed."""
        if self._cwd is not None and _cwd() != self._cwd:
            # The learner's file changed folder when imported: the kata fixture's monkeypatch took
            # that folder for the one to go back to.
            with contextlib.suppress(OSError):
                os.chdir(self._cwd)
        self._cwd = None
        failure = getattr(sys, "last_traceback", None)
        while failure is not None:
            with contextlib.suppress(RuntimeError):  # a frame that still runs
                failure.tb_frame.clear()
                # Python 3.11 keeps the copy of the locals made for the traceback's report: reading
                # them again after clear() drops it.
                _ = failure.tb_frame.f_locals
            failure = failure.tb_next


def _message(subject: str, call: str | None, findings: list[_Finding]) -> str:
    lines = [f"Called {call}."] if call else []
    lines += [f"{subject} {finding.text}" for finding in findings]
    lines += [f"Tip: {tip}" for tip in dict.fromkeys(finding.tip for finding in findings)]
    return "\n".join(lines)


def _cwd() -> str | None:
    try:
        return os.getcwd()
    except OSError:  # the working folder was removed
        return None


def _file_of(module: ModuleType | None) -> tuple[str, ...]:
    file = getattr(module, "__file__", None)
    return (file,) if file else ()


class _Window:
    """One watched stretch of the learner's code: snapshots and wrapped setters from ``__init__`` to
    ``close``, which puts the state back and returns what the learner's code changed."""

    def __init__(self, hygiene: ProcessHygiene, file: Path | None, *, importing: bool) -> None:
        self.hygiene = hygiene
        #: the learner's file, whose lines are searched for a change that no wrapped setter saw
        self.file = file
        self.importing = importing
        self.pid = os.getpid()
        self.main = threading.get_ident()
        self.torch = sys.modules.get("torch")
        # sys.modules is looked at (about 0.1 ms) only when the learner's file mentions it: a change
        # that no line of theirs made is not theirs, and is left alone.
        self.watch_modules = hygiene.mentions(file, MODULES_MENTION)
        #: kind of state -> (the learner's line that last changed it, the call as written)
        self.changed_at: dict[str, tuple[_Place, str | None]] = {}
        self.threads: list[_Started] = []
        self.processes: list[_Started] = []
        #: forked child processes, each the leader of a process group of its own
        self.children: list[_Started] = []
        #: a pipe on which each forked process that returns into the check writes a byte as it ends
        self.returned: tuple[int, int] | None = None
        #: modules removed from sys.modules that an import asked for again, and got back
        self.given_back: list[str] = []
        self._saved: list[tuple[object, str, object]] = []
        self._snapshot()
        self._wrap_setters()

    # -- opening ----------------------------------------------------------------------------

    def _snapshot(self) -> None:
        torch = self.torch
        self.dtype = torch.get_default_dtype() if torch is not None else None
        self.grad = torch.is_grad_enabled() if torch is not None else None
        self.cwd = _cwd()
        self.limit = sys.getrecursionlimit()
        self.signals = {
            number: signal.getsignal(number)
            for name in WATCHED_SIGNALS
            if (number := getattr(signal, name, None)) is not None
        }
        self.timer = signal.getitimer(signal.ITIMER_REAL)[0] if hasattr(signal, "getitimer") else 0.0
        self.filters = list(warnings.filters)
        self.catch_warnings = warnings.catch_warnings()
        self.catch_warnings.__enter__()
        self.modules = sys.modules.copy() if self.watch_modules else {}
        self.finder = _GiveBack(self)
        if self.watch_modules:
            sys.meta_path.insert(0, self.finder)
        owners: dict[tuple[int, str], Any] = {}
        self.entry_points = [
            (module, path, _resolve(module, path, owners))
            for name, paths in ENTRY_POINTS.items()
            if (module := sys.modules.get(name)) is not None
            for path in paths
        ]

    def _wrap(self, owner: object, name: str, wrapper: Callable[[Any], Any]) -> None:
        real = vars(owner).get(name, _MISSING)
        if real is not _MISSING:
            self._saved.append((owner, name, real))
            setattr(owner, name, wrapper(real))

    def _wrap_setters(self) -> None:
        if (torch := self.torch) is not None:
            # torch's private setters: every public way to change the default dtype or the gradient
            # mode calls them (set_default_dtype, no_grad, set_grad_enabled, a reference to one
            # taken before the check). tests/test_private_apis.py fails if that changes.
            torch_dir = (os.path.dirname(torch.__file__) + os.sep,)
            dtype, grad = torch.get_default_dtype, torch.is_grad_enabled
            self._wrap(torch._C, "_set_default_dtype", self._noting("dtype", torch_dir, dtype))
            self._wrap(torch._C, "_set_default_tensor_type", self._noting("dtype", torch_dir, dtype))
            self._wrap(torch._C, "_set_grad_enabled", self._noting("grad", torch_dir, grad, main_only=True))
        chdir_skip = _file_of(sys.modules.get("contextlib"))
        self._wrap(os, "chdir", self._noting("cwd", chdir_skip))
        self._wrap(os, "fchdir", self._noting("cwd", chdir_skip))
        for name in ("simplefilter", "filterwarnings", "resetwarnings"):
            self._wrap(warnings, name, self._noting("warnings", _file_of(warnings)))
        self._wrap(signal, "signal", self._signal_setter)
        self._wrap(signal, "alarm", self._noting("timer"))
        self._wrap(signal, "setitimer", self._noting("timer"))
        self._wrap(sys, "setrecursionlimit", self._noting("limit"))
        self._wrap(threading.Thread, "start", self._starting(self.threads, _file_of(threading)))
        if (processes := sys.modules.get("multiprocessing.process")) is not None:
            self._wrap(processes.BaseProcess, "start", self._starting(self.processes, ()))
        self._wrap(os, "fork", self._forking)
        self._wrap(os, "forkpty", self._forking)

    def _noting(
        self,
        kind: str,
        skip: tuple[str, ...] = (),
        value: Callable[[], object] | None = None,
        *,
        main_only: bool = False,
    ) -> Callable[[Any], Any]:
        """A wrapper for a setter that notes the learner's line of each call (of each call that changes
        ``value()``, when given: torch's setters are called often, by torch itself)."""

        def wrapper(real: Callable[..., Any]) -> Callable[..., Any]:
            def setter(*args: Any, **kwargs: Any) -> Any:
                if main_only and threading.get_ident() != self.main:
                    return real(*args, **kwargs)
                if value is None:
                    # Where and what, before the call: after a low recursion limit, this would fail.
                    place = self.hygiene.place_of(sys._getframe(1), skip)
                    call = _call_text(real, args, kwargs) if place is not None else None
                    result = real(*args, **kwargs)
                    if place is not None:
                        self.changed_at[kind] = (place, call)
                    return result
                before = value()
                result = real(*args, **kwargs)
                if value() != before:
                    self._note(kind, sys._getframe(1), skip, None)
                return result

            return setter

        return wrapper

    def _note(self, kind: str, frame: FrameType, skip: tuple[str, ...], call: str | None) -> None:
        if (place := self.hygiene.place_of(frame, skip)) is not None:
            self.changed_at[kind] = (place, call)

    def _signal_setter(self, real: Callable[..., Any]) -> Callable[..., Any]:
        def setter(signalnum: int, handler: Any) -> Any:
            previous = real(signalnum, handler)
            self.signals.setdefault(signalnum, previous)
            call = f"signal.signal({signal.Signals(signalnum).name}, {_handler(handler)})"
            self._note(f"signal {int(signalnum)}", sys._getframe(1), (), call)
            return previous

        return setter

    def _starting(self, started: list[_Started], skip: tuple[str, ...]) -> Callable[[Any], Any]:
        def wrapper(real: Callable[..., Any]) -> Callable[..., Any]:
            def start(what: Any, *args: Any, **kwargs: Any) -> Any:
                place = self.hygiene.place_of(sys._getframe(1), skip)
                result = real(what, *args, **kwargs)
                if place is not None:
                    started.append(_Started(what, place))
                return result

            return start

        return wrapper

    def _forking(self, real: Callable[..., Any]) -> Callable[..., Any]:
        """os.fork (or forkpty) as called by the learner's code: in the parent, the child is noted
        and made the leader of a process group of its own, which its own children join, so that the
        whole family can be stopped at once; in the child, the learner's code may run as it likes,
        but the child ends (os._exit) when it returns from the learner's code into the check."""

        def fork() -> Any:
            caller = sys._getframe(1)
            place = self.hygiene.place_of(caller)
            if place is not None and self.returned is None:
                self.returned = os.pipe()
                os.set_blocking(self.returned[0], False)
            result = real()
            pid = result[0] if isinstance(result, tuple) else result
            if place is None:
                return result
            if pid == 0:
                if os.getppid() == self.pid:
                    with contextlib.suppress(OSError):
                        os.setpgid(0, 0)
                _clear_stale_async_exception()
                self._end_child_on_return(caller)
            else:
                with contextlib.suppress(OSError):
                    os.setpgid(pid, pid)  # also here: whichever of the two runs first
                self.children.append(_Started(pid, place))
            return result

        return fork

    def _end_child_on_return(self, frame: FrameType | None) -> None:
        outermost = None
        while frame is not None:
            if frame.f_code.co_filename.startswith(self.hygiene.katas_prefix):
                outermost = frame
            frame = frame.f_back
        if outermost is None:
            return
        status = 0

        def on_return(frame: FrameType, event: str, arg: Any) -> Any:
            nonlocal status
            if event == "exception" and isinstance(arg[1], SystemExit):
                code = arg[1].code
                status = code if isinstance(code, int) else (0 if code is None else 1)
            elif event == "return":
                for stream in (sys.stdout, sys.stderr):
                    with contextlib.suppress(Exception):
                        stream.flush()
                if self.returned is not None:
                    with contextlib.suppress(OSError):
                        os.write(self.returned[1], b".")
                os._exit(status)
            return on_return

        outermost.f_trace_lines = False
        outermost.f_trace = on_return
        sys.settrace(lambda frame, event, arg: None)  # no tracing of other frames: only this return

    # -- closing ----------------------------------------------------------------------------

    def close(self) -> list[_Finding]:
        """Put back what changed, and say what the learner's code changed. Waits for (and then stops)
        the threads and processes the learner's code left running, for up to a second or so."""
        if sys.getrecursionlimit() != self.limit:  # first: a low limit would break what follows
            limit = sys.getrecursionlimit()
            sys.setrecursionlimit(self.limit)
        else:
            limit = self.limit
        for owner, name, real in reversed(self._saved):
            setattr(owner, name, real)
        with contextlib.suppress(ValueError):
            sys.meta_path.remove(self.finder)
        findings: list[_Finding] = []
        if limit != self.limit:
            findings.append(self._finding_limit(limit))
        findings += self._close_torch()
        if (finding := self._close_cwd()) is not None:
            findings.append(finding)
        findings += self._close_signals()
        if (finding := self._close_warnings()) is not None:
            findings.append(finding)
        findings += self._close_modules()
        findings += self._close_entry_points()
        findings += self._close_running()
        return findings

    def _blame(self, kind: str, *mentions: str) -> tuple[_Place | None, str | None]:
        """Where the learner's code made a change of ``kind``: the line of their call that made it,
        else the first line of their file's code that matches ``mentions``; and the call, if known."""
        if kind in self.changed_at:
            return self.changed_at[kind]
        return self._mention(*mentions), None

    def _mention(self, *patterns: str) -> _Place | None:
        """The first line of the learner's file whose code (docstrings and comments left out) matches
        the first of ``patterns`` that any line matches."""
        if self.file is None:
            return None
        file = str(self.file)
        lines = self.hygiene.code_lines(self.file)
        for pattern in patterns:
            for number, code in lines.items():
                if re.search(pattern, code):
                    return _Place(file, number, self.hygiene.shown(file))
        return None

    def _finding_limit(self, limit: int) -> _Finding:
        place, call = self._blame("limit", r"setrecursionlimit")
        return _Finding(
            f"left the recursion limit at {limit}{_at(place, call)}: any later check that calls "
            f"deeper fails with RecursionError, pytest's own code included. It is {self.limit} again.",
            TIP_RECURSION,
        )

    def _close_torch(self) -> list[_Finding]:
        torch, findings = self.torch, []
        if torch is None:
            return findings
        if (dtype := torch.get_default_dtype()) != self.dtype:
            torch.set_default_dtype(self.dtype)
            place, call = self._blame("dtype", r"set_default_(dtype|tensor_type)")
            findings.append(
                _Finding(
                    f"left torch's default dtype set to {dtype}{_at(place, call)}: every later check "
                    f"would make its tensors and models in {str(dtype).removeprefix('torch.')}. It is "
                    f"{self.dtype} again.",
                    TIP_DTYPE,
                )
            )
        if (grad := torch.is_grad_enabled()) != self.grad:
            torch.set_grad_enabled(bool(self.grad))
            place, call = self._blame("grad", r"set_grad_enabled", r"no_grad|inference_mode")
            effect = "compute gradients" if grad else "compute no gradients, and train nothing"
            findings.append(
                _Finding(
                    f"left gradient tracking turned {'on' if grad else 'off'}{_at(place, call)}: every "
                    f"later check would {effect}. It is {'on' if self.grad else 'off'} again.",
                    TIP_GRAD,
                )
            )
        return findings

    def _close_cwd(self) -> _Finding | None:
        if self.importing:
            # The kata fixture moves into the check's own folder after the import: only a call of
            # the learner's says the import changed folder. The teardown goes back where it was.
            if "cwd" not in self.changed_at:
                return None
            place, call = self.changed_at["cwd"]
            to = ""
        else:
            if (current := _cwd()) == self.cwd:
                return None
            if self.cwd is not None:
                with contextlib.suppress(OSError):
                    os.chdir(self.cwd)
            place, call = self._blame("cwd", r"chdir")
            to = f" to {current!r}" if current is not None else " to a folder that was then removed"
        return _Finding(
            f"left the working folder changed{to}{_at(place, call)}: pytest and every later check would "
            "go on from there, and read or write whatever a relative path names there. It has been "
            "changed back.",
            TIP_CWD,
        )

    def _close_signals(self) -> list[_Finding]:
        findings = []
        for number, before in self.signals.items():
            now = signal.getsignal(number)
            if now is before or now == before:
                continue
            place, call = self._blame(f"signal {number}", _signal_pattern(number))
            if place is None:
                continue  # not the learner's doing (a library's handler, at its import): left alone
            if before is not None:  # None: a handler set outside Python, which cannot be put back
                signal.signal(number, before)
            name = signal.Signals(number).name
            findings.append(
                _Finding(
                    f"left the handler of {name} changed to {_handler(now)}{_at(place, call)}: "
                    f"{_signal_effect(name)} It has been set back.",
                    TIP_SIGNALS,
                )
            )
        if not self.timer and hasattr(signal, "getitimer") and signal.getitimer(signal.ITIMER_REAL)[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, 0)
            place, call = self._blame("timer", r"\balarm\(|setitimer\(")
            if place is not None:
                findings.append(
                    _Finding(
                        f"left an alarm pending{_at(place, call)}: its SIGALRM would go off during a later "
                        "check, and end the whole run if no handler waits for it. It has been cancelled.",
                        TIP_SIGNALS,
                    )
                )
        return findings

    def _close_warnings(self) -> _Finding | None:
        changed = warnings.filters != self.filters
        self.catch_warnings.__exit__(None, None, None)
        if not changed or self.importing:
            # At the import the filters are put back silently: pytest itself puts them back after
            # each check, so top-level filters would only ever apply to the first check.
            return None
        place, call = self._blame("warnings", r"simplefilter|filterwarnings|resetwarnings")
        if place is None:
            return None  # a library's filters, added when it was first imported
        return _Finding(
            f"left the warning filters changed{_at(place, call)}: they would apply to every later "
            "check ('error' turns any library's warning into a failure there). They have been put back.",
            TIP_WARNINGS,
        )

    def _close_modules(self) -> list[_Finding]:
        before = self.modules
        if not self.watch_modules or (before.items() <= sys.modules.items() and not self.given_back):
            return []
        place = self._mention(
            r"\bmodules\s*\[[^]]*\]\s*=[^=]|\bdel\b.*\bmodules\b|\bmodules\.(pop|clear|update|setdefault)\(",
            MODULES_MENTION,
        )
        if place is None:
            return []  # not the learner's doing (a library's own juggling, e.g. defusedxml's): left alone
        removed, emptied, replaced = list(self.given_back), [], []
        for name, module in before.items():
            now = sys.modules.get(name, _MISSING)
            if now is module:
                continue
            if now is _MISSING:
                removed.append(name)
            else:
                (emptied if now is None else replaced).append((name, now))
            sys.modules[name] = module
            package, _, child = name.rpartition(".")
            parent = sys.modules.get(package) if package else None
            if isinstance(now, ModuleType) and parent is not None and vars(parent).get(child) is now:
                setattr(parent, child, module)  # where the import of a second copy put it
        findings = []
        if removed:
            removed.sort(key=len)
            more = f" and {len(removed) - 1} more modules" if len(removed) > 1 else ""
            again = (
                " An import of it during the check got back the module already loaded."
                if self.given_back
                else ""
            )
            findings.append(
                _Finding(
                    f"removed {removed[0]}{more} from sys.modules{_at(place, None)}: a later import "
                    "would load a second copy, whose classes are not the first copy's (and a second "
                    f"torch crashes the process).{again} They have been put back.",
                    TIP_MODULES,
                )
            )
        for name, _ in emptied:
            findings.append(
                _Finding(
                    f"set sys.modules[{name!r}] to None{_at(place, None)}: every later `import "
                    f"{name}` would fail. It has been put back.",
                    TIP_MODULES,
                )
            )
        for name, now in replaced:
            findings.append(
                _Finding(
                    f"replaced sys.modules[{name!r}] with {describe(now)}{_at(place, None)}: every later "
                    f"`import {name}` would get it. The module has been put back.",
                    TIP_MODULES,
                )
            )
        return findings

    def _close_entry_points(self) -> list[_Finding]:
        findings = []
        owners: dict[tuple[int, str], Any] = {}
        for root, path, before in self.entry_points:
            now = _resolve(root, path, owners)
            if now is None or (before is not None and now[0] is before[0] and now[2] is before[2]):
                continue
            owner, name, value = now
            fresh = before is None or before[2] is _MISSING
            if fresh and (value is _MISSING or not self._foreign(value, root.__name__)):
                continue  # loaded during the window: the library's own object
            word = re.escape(name)
            place = self._mention(
                rf"\.{word}\s*=[^=]|setattr\(.*['\"]{word}['\"]|patch\b.*\b{word}\b"
            ) or self._defined_at(value)
            if place is None:
                continue  # not the learner's doing (a library's own patch): left alone
            if value is not _MISSING and (fresh or owner is not before[0]) and name in vars(owner):
                with contextlib.suppress(AttributeError, TypeError):
                    delattr(owner, name)  # set over the original (on a subclass, or over a lazy name)
            if not fresh and vars(before[0]).get(name, _MISSING) is not before[2]:
                with contextlib.suppress(AttributeError, TypeError):
                    setattr(before[0], name, before[2])
            what = (
                "nothing (it deleted it)" if value is _MISSING else _named(value, self.hygiene.katas_prefix)
            )
            findings.append(
                _Finding(
                    f"replaced {root.__name__}.{path} with {what}{_at(place, None)}: every later check "
                    "would call that instead of the library's own. The original has been put back.",
                    TIP_PATCH,
                )
            )
        return findings

    def _foreign(self, value: object, library: str) -> bool:
        function = getattr(value, "__func__", value)
        code = getattr(function, "__code__", None)
        if code is not None and code.co_filename.startswith(self.hygiene.katas_prefix):
            return True
        module = getattr(function, "__module__", None) or type(function).__module__
        return not (module == library or module.startswith(library + "."))

    def _defined_at(self, value: object) -> _Place | None:
        function = getattr(value, "__func__", value)
        code = getattr(function, "__code__", None)
        if code is None or not code.co_filename.startswith(self.hygiene.katas_prefix):
            return None
        return _Place(code.co_filename, code.co_firstlineno, self.hygiene.shown(code.co_filename))

    # -- threads and processes ------------------------------------------------------------------

    def _close_running(self) -> list[_Finding]:
        """Threads and processes started by the learner's code and still running: each gets until the
        grace period ends to finish by itself, then is stopped."""
        if not (self.threads or self.processes or self.children):
            return []
        deadline = time.monotonic() + GRACE_SECONDS
        findings = []
        left = list(self.children)  # until they are known to have ended
        running = self.processes
        try:
            left = self._wait_for_children(deadline)
            for started in running:
                if started.what.is_alive():
                    started.what.join(max(0.0, deadline - time.monotonic()))
        finally:
            for started in left:
                with contextlib.suppress(OSError):
                    os.killpg(started.what, signal.SIGKILL)  # the child and the processes it started
                with contextlib.suppress(OSError):
                    os.kill(started.what, signal.SIGKILL)
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(started.what, 0)
            running = [started for started in running if started.what.is_alive()]
            for started in running:
                started.what.kill()
                started.what.join(STOP_SECONDS)
        if returned := self._count_returned():
            findings.append(
                _Finding(
                    f"forked {returned} child process{'es' if returned > 1 else ''} that returned from "
                    f"your code into the check (started at {self.children[0].place}): each would have "
                    "run the rest of the run a second time, so each was ended there.",
                    TIP_PROCESSES,
                )
            )
        if stopped := left + running:
            count = len(stopped)
            findings.append(
                _Finding(
                    f"left {count} child process{'es' if count > 1 else ''} running (started at "
                    f"{stopped[0].place}): they would outlive the check, and the run. They have been "
                    "stopped.",
                    TIP_PROCESSES,
                )
            )
        for started in self.threads:
            thread: threading.Thread = started.what
            thread.join(max(0.0, deadline - time.monotonic()))
            if not thread.is_alive():
                continue
            where = self._where_thread_is(thread)
            if _stop_thread(thread):
                outcome = "It has been stopped."
            else:
                outcome = "It could not be stopped, and runs on until it ends" + (
                    "." if thread.daemon else ": the run waits for it before it exits (Ctrl-C ends the wait)."
                )
            findings.append(
                _Finding(
                    f"left a thread running (started at {started.place}{where}): it would go on running "
                    f"beside every later check. {outcome}",
                    TIP_THREADS,
                )
            )
        return findings

    def _count_returned(self) -> int:
        if self.returned is None:
            return 0
        read, write = self.returned
        count = 0
        with contextlib.suppress(OSError):
            while chunk := os.read(read, 4096):
                count += len(chunk)
        os.close(read)
        os.close(write)
        return count

    def _wait_for_children(self, deadline: float) -> list[_Started]:
        """The forked children whose process group still has a member at the deadline (the child, or
        a process it started); the children that ended are reaped."""
        waiting = list(self.children)
        while waiting:
            waiting = [started for started in waiting if _group_alive(started.what)]
            if not waiting or time.monotonic() >= deadline:
                break
            time.sleep(0.01)
        return waiting

    def _where_thread_is(self, thread: threading.Thread) -> str:
        frame = sys._current_frames().get(thread.ident or -1)
        while frame is not None:
            if (place := self.hygiene.place_of(frame)) is not None:
                return f", now at {place}"
            frame = frame.f_back
        return ""


def _group_alive(pid: int) -> bool:
    """Whether a forked child, or a process of its group (which it leads), still runs; the child is
    reaped once it has ended."""
    try:
        ended, _ = os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        ended = pid  # reaped already, by the learner's own os.waitpid
    if not ended:
        return True
    try:
        os.killpg(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return _group_runs(pid)


def _group_runs(pgid: int) -> bool:
    """Whether a process of the group ``pgid`` runs: the group's orphans that have ended stay in it
    as zombies until the system reaps them, and do not count (Linux's /proc tells them apart)."""
    try:
        names = os.listdir("/proc")
    except OSError:
        return True
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", encoding="utf-8", errors="replace") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


class _AsyncReset(Exception):
    """Raised in a forked child's own thread, and caught at once, to clear a stale flag."""


def _clear_stale_async_exception() -> None:
    """Clear the interpreter's "an exception is pending for a thread" flag.

    ``_stop_thread`` raises an exception in a thread that may not end (it sleeps in one long call).
    CPython 3.11 flags that pending exception for the whole interpreter until a thread takes one;
    a cancelled exception, or a child forked meanwhile (which has the flag without the thread),
    leaves the flag up for good, and once tracing is on (the time limit's tracer of a loop that
    caught its stop, or ``_end_child_on_return``) the next function call loops for ever at its
    entry. Raising an exception in this thread, and taking it, clears the flag. Tested by
    tests/test_process_hygiene.py (a solution that forks, and a loop that catches the time limit's
    stop, each after a thread could not be stopped)."""
    import ctypes

    try:
        ctypes.pythonapi.PyThreadState_SetAsyncExc(
            ctypes.c_ulong(threading.get_ident()), ctypes.py_object(_AsyncReset)
        )
        for _ in range(1000):  # the pending exception is raised between two bytecodes
            pass
    except _AsyncReset:
        pass


class _ThreadStopped(SystemExit):
    """Raised inside a thread that the learner's code left running, to end it."""


def _stop_thread(thread: threading.Thread) -> bool:
    """Raise ``_ThreadStopped`` in ``thread`` and wait a moment for it to end: this ends a thread that
    runs Python code, not one blocked in a long wait (a sleep, a lock, I/O), which is then left to
    run on undisturbed."""
    try:
        import ctypes

        raise_in = ctypes.pythonapi.PyThreadState_SetAsyncExc
    except (ImportError, AttributeError):
        return False
    ident = ctypes.c_ulong(thread.ident or 0)
    hook = threading.excepthook

    def quiet(args: Any) -> None:
        if args.exc_type is not _ThreadStopped:
            hook(args)

    threading.excepthook = quiet
    try:
        raise_in(ident, ctypes.py_object(_ThreadStopped))
        thread.join(STOP_SECONDS)
        if thread.is_alive():
            raise_in(ident, None)  # not at some random moment later on
            # CPython 3.11 keeps its interpreter-wide "an exception is pending" flag set after that
            # cancel, and with tracing on (the time limit traces a loop that caught its stop) the
            # next call would loop for ever at its entry: take the flag down.
            _clear_stale_async_exception()
    finally:
        threading.excepthook = hook
    return not thread.is_alive()


class _GiveBack(importlib.abc.MetaPathFinder):
    """First on ``sys.meta_path`` during a window: an import of a module that was loaded when the
    window opened, and has since been removed from ``sys.modules``, gets that module back instead
    of a second copy (a second torch crashes the process; a second transformers has classes that
    are not the first one's). Only for an import that the learner's own code asks for, and the
    submodules of a package it got back: a library may remove a module on purpose, to import a
    fresh copy of it."""

    def __init__(self, window: _Window) -> None:
        self.window = window

    def find_spec(
        self, fullname: str, path: Any = None, target: Any = None
    ) -> importlib.machinery.ModuleSpec | None:
        original = self.window.modules.get(fullname)
        if original is None or fullname in sys.modules:
            return None
        package = fullname.rpartition(".")[0]
        asked = self.window.hygiene.place_of(sys._getframe(1), _IMPORT_MACHINERY) is not None
        if not asked and package not in self.window.given_back:
            return None  # a library's import: it may mean a fresh copy (defusedxml does)
        self.window.given_back.append(fullname)
        return importlib.machinery.ModuleSpec(fullname, _Original(original))


class _Original(importlib.abc.Loader):
    """Loads a module that is already loaded: itself, with its own ``__spec__``."""

    def __init__(self, module: ModuleType) -> None:
        self.module = module
        self.spec = getattr(module, "__spec__", None)

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        return self.module

    def exec_module(self, module: ModuleType) -> None:
        with contextlib.suppress(AttributeError):
            module.__spec__ = self.spec  # the import system set its own


def _resolve(root: object, path: str, owners: dict[tuple[int, str], Any]) -> tuple[object, str, Any] | None:
    """(owner, name, value) of the attribute ``path`` of ``root``, as stored: a class's attribute in
    the ``__dict__`` of the class of its MRO that holds it, a module's in its own ``__dict__`` (a
    lazy module's attribute not loaded yet is missing). None if a step on the way is missing.
    ``owners`` keeps the objects found on the way, for the next paths."""
    prefix, _, name = path.rpartition(".")
    owner: Any = root
    if prefix:
        key = (id(root), prefix)
        if key not in owners:
            for step in prefix.split("."):
                owner = _own(owner, step)
                if owner is _MISSING:
                    break
            owners[key] = owner
        owner = owners[key]
        if owner is _MISSING:
            return None
    if isinstance(owner, type):
        for klass in owner.__mro__:
            if name in vars(klass):
                return klass, name, vars(klass)[name]
        return owner, name, _MISSING
    return owner, name, vars(owner).get(name, _MISSING)


def _own(owner: object, name: str) -> Any:
    if isinstance(owner, type):
        return next((vars(klass)[name] for klass in owner.__mro__ if name in vars(klass)), _MISSING)
    try:
        return vars(owner).get(name, _MISSING)
    except TypeError:
        return _MISSING


def _named(value: object, katas_prefix: str) -> str:
    function = getattr(value, "__func__", value)
    code = getattr(function, "__code__", None)
    if code is not None and code.co_filename.startswith(katas_prefix):
        return "your lambda" if code.co_name == "<lambda>" else f"your function {code.co_name}"
    return describe(value)


def _at(place: _Place | None, call: str | None) -> str:
    if place is None:
        return f" ({call})" if call else ""
    return f" ({call}, {place})" if call else f" ({place})"


def _handler(handler: Any) -> str:
    if isinstance(handler, signal.Handlers):
        return handler.name
    if handler is None:
        return "a handler set outside Python"
    return getattr(handler, "__qualname__", None) or repr(handler)


def _signal_pattern(number: int) -> str:
    name = signal.Signals(number).name
    return rf"signal\(.*{name}|\b{name}\b"


def _signal_effect(name: str) -> str:
    return {
        "SIGALRM": "the time limit of every check uses SIGALRM, and an alarm of yours would call your "
        "handler in the middle of a later check.",
        "SIGINT": "Ctrl-C would no longer stop the run as it should.",
        "SIGTERM": "the run could no longer be ended cleanly.",
        "SIGCHLD": "waiting for child processes (subprocess, multiprocessing) would change for every "
        "later check.",
    }.get(name, f"every later {name} would go to it.")


def _call_text(real: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> str:
    """A setter's call as the learner wrote it, e.g. ``warnings.simplefilter('error')``."""
    module = getattr(real, "__module__", None) or ""
    module = {"posix": "os", "nt": "os", "_signal": "signal", "_warnings": "warnings"}.get(module, module)
    written = ", ".join([*map(repr, args), *(f"{key}={value!r}" for key, value in kwargs.items())])
    return f"{module}.{real.__name__}({written})".lstrip(".")


def _code_lines(file: str) -> dict[int, str]:
    """The code of each line of ``file``, by line number: comments and docstrings (strings that are
    statements of their own) left out, other strings kept (``setattr(x, "name", ...)``)."""
    source = linecache.getlines(file)
    try:
        tree = ast.parse("".join(source))
        tokens = list(tokenize.generate_tokens(io.StringIO("".join(source)).readline))
    except (SyntaxError, tokenize.TokenError):
        return {}
    skipped = {
        number
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
        for number in range(node.lineno, (node.end_lineno or node.lineno) + 1)
    }
    comments = {token.start[0]: token.start[1] for token in tokens if token.type == tokenize.COMMENT}
    lines = {}
    for number, line in enumerate(source, start=1):
        code = line[: comments.get(number, len(line))]
        if number not in skipped and code.strip():
            lines[number] = code
    return lines
