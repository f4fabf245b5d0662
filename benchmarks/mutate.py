"""Mutation testing of the reference solutions: which small wrong versions of a reference do its
hidden checks let through?

    python benchmarks/mutate.py --katas debugging
    python benchmarks/mutate.py --katas stable_log_softmax,handle_errors --show-survivors
    python benchmarks/mutate.py --katas all --exclude distributed_generate --jobs 2

mutmut (pinned in the ``dev`` extra) makes the mutants: each changes one thing in one function of
the reference, as an API mistake would (an argument dropped or set to None, a string or a number
changed, a comparison flipped, ``True``/``False`` swapped, an ``and`` made an ``or``, ...).
Docstrings, ``# pragma: no mutate`` lines and code outside functions are left alone, as mutmut
leaves them. One deviation: mutmut also skips every decorated function, because its trampolines
would have to copy it; this script writes each mutant out as a file of its own, so the body of a
decorated function *nested* in another (a ``functools.wraps`` wrapper, a FastAPI route) is
mutated too. Its decorators are not, and a decorated top-level function is still skipped.

mutmut's own runner (``mutmut run``) cannot run these mutants: it expects the code under test to be
a module that the test suite imports, and switches mutants through trampolines in that module. A
kata's checks import the learner's file by path afresh in every run, so this script takes only
mutmut's mutant generator, writes each mutant as the kata's file in a folder of its own, and runs
the kata's checks on it in warm worker processes: each imports torch and transformers once and
calls ``pytest.main(["--katas", NAME, "--katas-dir", ..., "-x", ...])`` for mutant after mutant.

A mutant is *killed* when a check fails or errors (``-x`` stops at the first: a killed mutant
costs little), and *survives* when every check passes. A mutant whose run crashes the worker, or
outruns its time, counts as killed but is named apart, and the worker is started again. Before its
mutants, each kata's reference runs once in a worker: it must pass, and its slowest check sets the
kata's time limit per check (``--timeout``, or three times that check if longer).

A surviving mutant is a missing check, or a mutant that behaves exactly as the reference does.
The latter are listed, per topic, in ``pytest_tfkatas/checks/<topic>/equivalent_mutants.toml``:

    [[stable_log_softmax]]           # the kata; one such table per equivalent mutant
    function = "stable_log_softmax"  # the function mutated ("Class.method" for a method)
    original = "..."                 # the reference's changed line(s), stripped
    mutant = "..."                   # the same line(s) in the mutant, stripped ("" when removed)
    reason = "one line: why no check can tell them apart"

Lines, not line numbers, identify a mutant, so an entry survives unrelated edits of the file; an
entry matches every mutant of that function with those lines. ``--show-survivors`` prints each
survivor's diff and the entry that would list it. An entry that matches no mutant any more is
named as stale; one whose mutant a check kills is named as wrong (it is counted as killed).

Output: one line per kata, ``name  killed K  survived S  equivalent E  (T s)``, where T is the
time the workers spent on the kata's mutants (the sum over their runs); then, with
``--show-survivors``, the survivors; then the mean time of a mutant's run, and the total with the
wall time. Exit code 1 if a kata has a survivor, 2 if a kata could not be judged (its reference
fails its checks, an equivalents file is malformed, mutmut is missing). ``--compare-fresh K``
runs K of each kata's mutants (survivors first) again, each in a fresh ``python -m pytest``
process, and names any verdict that differs from the warm worker's.

This is a tool for the people who write the checks, not part of CI.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib.metadata
import io
import math
import multiprocessing
import multiprocessing.connection
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Callable, Collection, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pytest_tfkatas import catalogue
from pytest_tfkatas.catalogue import Kata
from pytest_tfkatas.paths import CHECKS_DIR

#: The file of equivalent mutants, one per topic, beside that topic's checks.
EQUIVALENTS_FILE = "equivalent_mutants.toml"
#: The mutmut whose private mutant generator this script drives (the ``dev`` extra pins it).
MUTMUT_VERSION = "3.8.1"
#: A worker holding more than this much memory is stopped, and its mutant counted as crashed.
MEMORY_LIMIT = 6 * 1024**3
#: The time limit per check of a kata's reference run (the plugin's own default).
REFERENCE_TIMEOUT = 60.0
#: A mutant's time limit per check is at least this many times the reference's slowest check.
SLOWEST_CHECK_FACTOR = 3.0
#: The lines of pytest's output kept when a run ends other than passed or failed.
OUTPUT_TAIL = 25
#: Verdicts of a mutant: caught by a check, or not.
KILLED, SURVIVED = "killed", "survived"
#: Verdicts that count as killed but are named apart.
CRASHED, TIMED_OUT = "crashed", "timed out"


# -- mutants ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Mutant:
    """One mutant of a kata's reference: the whole mutated source, and what identifies it."""

    kata: str
    number: int  # from 1, in the order mutmut makes them
    function: str  # the function mutated: "name", or "Class.method"
    line: int  # the first changed line of the reference
    original: str  # the reference's changed lines, each stripped, joined by newlines
    mutated: str  # those lines in the mutant ("" when the mutant removes them)
    source: str


def normal(lines: str) -> str:
    """Lines compared as text: each stripped, the blank ones at either end dropped."""
    return "\n".join(line.strip() for line in lines.strip().splitlines())


def changed_lines(reference: str, mutant: str) -> tuple[int, str, str]:
    """(first changed line of ``reference``, its changed lines, the mutant's lines in their
    place), the lines stripped and joined by newlines. Raises ValueError if nothing changed."""
    before, after = reference.splitlines(), mutant.splitlines()
    blocks = [
        block
        for block in difflib.SequenceMatcher(None, before, after, autojunk=False).get_opcodes()
        if block[0] != "equal"
    ]
    if not blocks:
        raise ValueError("the mutant is the reference")
    old = "\n".join(line for _, i1, i2, _, _ in blocks for line in before[i1:i2])
    new = "\n".join(line for _, _, _, j1, j2 in blocks for line in after[j1:j2])
    return blocks[0][1] + 1, normal(old), normal(new)


class MutmutUnavailable(RuntimeError):
    """mutmut, or the private API of it that this script drives, is not there."""


def _mutmut() -> tuple[Any, Any]:
    """mutmut's file_mutation module and libcst, or MutmutUnavailable saying what to do."""
    advice = (
        f"benchmarks/mutate.py drives the mutant generator of mutmut {MUTMUT_VERSION}, a private API "
        f'of mutmut. Install that version: pip install "mutmut=={MUTMUT_VERSION}" (or pip install '
        '-e ".[dev]").'
    )
    try:
        import libcst
        from mutmut import configuration
        from mutmut.mutation import file_mutation
    except ImportError as error:
        raise MutmutUnavailable(f"{advice}\n({error})") from None
    needed = ("create_mutations", "deep_replace", "MutationVisitor", "OuterFunctionProvider")
    missing = [name for name in needed if not hasattr(file_mutation, name)]
    if missing or not hasattr(configuration, "_config"):
        version = importlib.metadata.version("mutmut")
        raise MutmutUnavailable(
            f"{advice}\nThe installed mutmut {version} lacks {', '.join(missing) or 'configuration._config'}."
        )
    if configuration._config is None:
        # create_mutations reads mutmut's configuration for one setting, do_not_mutate_patterns,
        # and would otherwise look for it (and for the code to mutate) in the current folder.
        configuration._config = _MutmutSettings()
    return file_mutation, libcst


@dataclass
class _MutmutSettings:
    """The one setting of mutmut's configuration that its mutant generator reads."""

    do_not_mutate_patterns: list[str] = field(default_factory=list)


def mutants_of(kata: str, reference: str, filename: str = "<reference>") -> list[Mutant]:
    """The mutants of a reference's source, in mutmut's order, each source once.

    PRIVATE API: mutmut.mutation.file_mutation (create_mutations, its MutationVisitor and
    deep_replace) is mutmut's internal generator, not a documented interface; MutmutUnavailable
    says so if it changed. The mutations kept are those mutmut keeps (inside a top-level function
    or a method), plus the bodies of decorated functions nested in one (see the module docstring).
    """
    file_mutation, cst = _mutmut()

    class Visitor(file_mutation.MutationVisitor):  # type: ignore[misc,name-defined]
        def _skip_node_and_children(self, node: Any) -> bool:
            if isinstance(node, cst.FunctionDef) and node.decorators:
                outer = self.get_metadata(file_mutation.OuterFunctionProvider, node, None)
                if outer is not None and outer is not node:  # nested: its decorators are skipped
                    return bool(super()._skip_node_and_children(node.with_changes(decorators=())))
            return bool(super()._skip_node_and_children(node))

    try:
        original_visitor = file_mutation.MutationVisitor
        file_mutation.MutationVisitor = Visitor
        try:
            module, mutations, _, _ = file_mutation.create_mutations(filename, reference)
        finally:
            file_mutation.MutationVisitor = original_visitor
        mutants: list[Mutant] = []
        seen = {reference}
        names = _function_names(module, cst)
        for mutation in mutations:
            function = mutation.contained_by_top_level_function
            if function is None:  # module level or a class body: mutmut leaves these alone
                continue
            source = file_mutation.deep_replace(module, mutation.original_node, mutation.mutated_node).code
            if source in seen:
                continue
            seen.add(source)
            line, original, mutated = changed_lines(reference, source)
            mutants.append(
                Mutant(kata, len(mutants) + 1, names.get(id(function), "?"), line, original, mutated, source)
            )
    except (AttributeError, TypeError) as error:
        raise MutmutUnavailable(
            f"mutmut's mutant generator (a private API) no longer works as benchmarks/mutate.py "
            f'expects: {error!r}. Install mutmut=={MUTMUT_VERSION}: pip install -e ".[dev]".'
        ) from error
    return mutants


def _function_names(module: Any, cst: Any) -> dict[int, str]:
    """id of each top-level function and method node -> its name ("Class.method" for methods)."""
    names: dict[int, str] = {}
    for statement in module.body:
        if isinstance(statement, cst.FunctionDef):
            names[id(statement)] = statement.name.value
        elif isinstance(statement, cst.ClassDef) and isinstance(statement.body, cst.IndentedBlock):
            for method in statement.body.body:
                if isinstance(method, cst.FunctionDef):
                    names[id(method)] = f"{statement.name.value}.{method.name.value}"
    return names


# -- equivalent mutants ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Equivalent:
    """An entry of an equivalents file: a mutant that behaves exactly as the reference does."""

    kata: str
    function: str
    original: str
    mutated: str
    reason: str

    def matches(self, mutant: Mutant) -> bool:
        return (
            mutant.kata == self.kata
            and mutant.function == self.function
            and normal(mutant.original) == normal(self.original)
            and normal(mutant.mutated) == normal(self.mutated)
        )

    def describe(self) -> str:
        return f"{self.function}: {self.original!r} -> {self.mutated!r}"


class EquivalentsError(ValueError):
    """An equivalents file that cannot be read as one."""


_ENTRY_KEYS = {"function": "function", "original": "original", "mutant": "mutated", "reason": "reason"}


def parse_equivalents(text: str, source: str, katas: Collection[str]) -> dict[str, list[Equivalent]]:
    """The entries of an equivalents file (its text; ``source`` names it in errors), per kata.
    ``katas`` are the names of the katas the file may list (its topic's)."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise EquivalentsError(f"{source}: not valid TOML: {error}") from None
    found: dict[str, list[Equivalent]] = {}
    for kata, entries in data.items():
        if kata not in katas:
            raise EquivalentsError(f"{source}: [[{kata}]] is not a kata of this topic ({', '.join(katas)})")
        if not isinstance(entries, list):
            raise EquivalentsError(f"{source}: write each equivalent mutant of {kata} as a [[{kata}]] table")
        for number, entry in enumerate(entries, start=1):
            where = f"{source}: [[{kata}]] #{number}"
            if not isinstance(entry, dict) or set(entry) != set(_ENTRY_KEYS):
                keys = sorted(entry) if isinstance(entry, dict) else type(entry).__name__
                raise EquivalentsError(
                    f"{where} must have exactly the keys {sorted(_ENTRY_KEYS)}, not {keys}"
                )
            if not all(isinstance(value, str) for value in entry.values()):
                raise EquivalentsError(f"{where}: every value is a string")
            reason = entry["reason"].strip()
            if not reason or "\n" in reason:
                raise EquivalentsError(f"{where}: the reason is one line that says why no check can tell")
            if not entry["function"].strip() or not entry["original"].strip():
                raise EquivalentsError(f"{where}: function and original cannot be empty")
            found.setdefault(kata, []).append(
                Equivalent(
                    kata,
                    entry["function"].strip(),
                    normal(entry["original"]),
                    normal(entry["mutant"]),
                    reason,
                )
            )
    return found


def load_equivalents(topic: str, katas: Collection[str]) -> dict[str, list[Equivalent]]:
    """The equivalents file of a topic, read; empty when the topic has none."""
    path = CHECKS_DIR / topic / EQUIVALENTS_FILE
    if not path.is_file():
        return {}
    shown = path.relative_to(CHECKS_DIR.parent.parent).as_posix()  # pytest_tfkatas/checks/<topic>/...
    return parse_equivalents(path.read_text(encoding="utf-8"), shown, katas)


def stale(entries: Sequence[Equivalent], mutants: Sequence[Mutant]) -> list[Equivalent]:
    """The entries that match none of ``mutants``."""
    return [entry for entry in entries if not any(entry.matches(mutant) for mutant in mutants)]


def entry_for(mutant: Mutant) -> str:
    """The equivalents-file entry that would list ``mutant`` (its reason still to write)."""

    def value(text: str) -> str:
        if "\n" in text and "'''" not in text:
            return f"'''\n{text}'''"
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    return "\n".join(
        [
            f"[[{mutant.kata}]]",
            f"function = {value(mutant.function)}",
            f"original = {value(mutant.original)}",
            f"mutant = {value(mutant.mutated)}",
            'reason = "..."',
        ]
    )


# -- verdicts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    mutant: Mutant
    verdict: str  # KILLED, SURVIVED, CRASHED or TIMED_OUT
    detail: str  # the first failing check, or why the run ended
    seconds: float


@dataclass
class KataTally:
    """What the mutants of one kata came to."""

    kata: Kata
    killed: list[Outcome] = field(default_factory=list)  # crashed and timed out included
    survived: list[Outcome] = field(default_factory=list)  # not listed as equivalent
    equivalent: list[Outcome] = field(default_factory=list)
    #: entries whose mutant a check kills: not equivalent after all
    wrongly_listed: list[tuple[Equivalent, Outcome]] = field(default_factory=list)
    stale: list[Equivalent] = field(default_factory=list)
    seconds: float = 0.0
    error: str | None = None  # why the kata could not be judged

    def line(self, width: int) -> str:
        name = self.kata.name.ljust(width)
        if self.error is not None:
            return f"{name}  NOT JUDGED: {self.error.splitlines()[0]}"
        apart = [
            f"{count} {verdict}"
            for verdict in (CRASHED, TIMED_OUT)
            if (count := sum(outcome.verdict == verdict for outcome in self.killed))
        ]
        killed = f"killed {len(self.killed)}" + (f" ({', '.join(apart)})" if apart else "")
        return (
            f"{name}  {killed}  survived {len(self.survived)}  equivalent {len(self.equivalent)}  "
            f"({self.seconds:.1f} s)"
        )


def tally(
    kata: Kata, outcomes: Sequence[Outcome], entries: Sequence[Equivalent], seconds: float
) -> KataTally:
    """Sort a kata's outcomes into killed / survived / equivalent, and check its entries."""
    result = KataTally(kata, seconds=seconds)
    for outcome in outcomes:
        listed = next((entry for entry in entries if entry.matches(outcome.mutant)), None)
        if outcome.verdict == SURVIVED:
            (result.survived if listed is None else result.equivalent).append(outcome)
        else:
            result.killed.append(outcome)
            if listed is not None:
                result.wrongly_listed.append((listed, outcome))
    result.stale = stale(entries, [outcome.mutant for outcome in outcomes])
    return result


def survivor_report(kata: Kata, reference: str, outcome: Outcome) -> str:
    """A survivor as a short unified diff (reference -> mutant) under its location."""
    mutant = outcome.mutant
    where = f"solutions/{kata.relpath}:{mutant.line}"
    diff = difflib.unified_diff(reference.splitlines(), mutant.source.splitlines(), lineterm="", n=1)
    body = [line for line in diff if not line.startswith(("---", "+++"))]
    return "\n".join(
        [f"  mutant {mutant.number}, {where}, in {mutant.function}()", *(f"    {line}" for line in body)]
    )


# -- running checks ---------------------------------------------------------------------------


def pytest_args(kata: str, katas_dir: Path, limit: float, basetemp: Path) -> list[str]:
    """pytest's arguments for one run of a kata's checks on the file in ``katas_dir``."""
    return [
        "--katas",
        kata,
        f"--katas-dir={katas_dir}",
        f"--katas-timeout={limit:g}",
        "-p",
        "no:cacheprovider",
        "-x",
        "-q",
        f"--basetemp={basetemp}",
    ]


#: The ini file of a kata workspace, as ``pytest --katas-init`` writes it: the workspace is the rootdir.
WORKSPACE_INI = "[pytest]\n"


def _workspace(folder: Path, kata: Kata, source: str) -> Path:
    """A learner's workspace in ``folder`` holding ``source`` as the kata's file; its katas folder."""
    katas_dir = folder / "katas"
    (katas_dir / kata.topic).mkdir(parents=True)
    (katas_dir / kata.relpath).write_text(source, encoding="utf-8")
    (folder / "pytest.ini").write_text(WORKSPACE_INI, encoding="utf-8")
    return katas_dir


class _Recorder:
    """A pytest plugin noting the first failing check and each check's duration."""

    def __init__(self) -> None:
        self.first_failure: str | None = None
        self.slowest = 0.0
        self._durations: dict[str, float] = {}

    def pytest_runtest_logreport(self, report: Any) -> None:
        self._durations[report.nodeid] = self._durations.get(report.nodeid, 0.0) + report.duration
        self.slowest = max(self.slowest, self._durations[report.nodeid])
        if report.failed and self.first_failure is None:
            self.first_failure = report.nodeid.rpartition("::")[2] + (
                "" if report.when == "call" else f" ({report.when})"
            )

    def pytest_collectreport(self, report: Any) -> None:
        if report.failed and self.first_failure is None:
            self.first_failure = f"collecting {report.nodeid}"


def _serve(connection: multiprocessing.connection.Connection, folder: str) -> None:
    """A worker: imports torch and transformers once, then runs one kata's checks per message,
    ``(kata name, source, time limit per check)``, answering ``(exit code, first failing check,
    seconds, slowest check's seconds, output tail)``. ``None`` ends it."""
    os.setpgrp()  # its own process group: stopping it stops the processes its checks started
    home = Path(folder)
    os.chdir(home)
    log = os.open(home / "worker.log", os.O_WRONLY | os.O_CREAT | os.O_APPEND)
    os.dup2(log, 1)  # whatever a check writes past pytest's capture goes to the log, not the terminal
    os.dup2(log, 2)
    import pytest
    import torch  # noqa: F401
    import transformers  # noqa: F401

    kata_of = {kata.name: kata for kata in catalogue.load().katas}
    for number in range(1, sys.maxsize):
        try:
            message = connection.recv()
        except EOFError:
            return
        if message is None:
            return
        name, source, limit = message
        run = home / f"run{number}"
        katas_dir = _workspace(run, kata_of[name], source)
        recorder = _Recorder()
        output = io.StringIO()
        os.chdir(run)  # the rootdir, as in a learner's workspace
        start = time.perf_counter()
        with contextlib.redirect_stdout(output), contextlib.redirect_stderr(output):
            code = pytest.main(pytest_args(name, katas_dir, limit, run / "tmp"), plugins=[recorder])
        seconds = time.perf_counter() - start
        os.chdir(home)
        shutil.rmtree(run, ignore_errors=True)
        tail = "" if code in (0, 1) else "\n".join(output.getvalue().splitlines()[-OUTPUT_TAIL:])
        connection.send((int(code), recorder.first_failure, seconds, recorder.slowest, tail))


#: A worker's answer: (pytest's exit code, the first failing check, seconds, the slowest check's
#: seconds, the tail of pytest's output when it ended other than passed or failed).
Answer = tuple[int, str | None, float, float, str]


@dataclass
class Job:
    kata: Kata
    mutant: Mutant | None  # None: the reference itself
    limit: float  # seconds per check
    deadline: float  # seconds for the whole run, after which the worker is stopped


class Worker:
    """A warm worker process and the job it runs."""

    def __init__(self, context: Any, folder: Path) -> None:
        self.context = context
        self.folder = folder
        self.job: Job | None = None
        self.started = 0.0
        self._start()

    def _start(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        ours, theirs = self.context.Pipe()
        self.process = self.context.Process(
            target=_serve, args=(theirs, str(self.folder)), name="tfkatas-mutate-worker"
        )
        self.process.start()
        theirs.close()
        self.connection: multiprocessing.connection.Connection = ours

    def give(self, job: Job) -> None:
        source = (
            job.kata.reference_path.read_text(encoding="utf-8") if job.mutant is None else job.mutant.source
        )
        self.connection.send((job.kata.name, source, job.limit))
        self.job = job
        self.started = time.monotonic()

    def outcome(self) -> Answer | str | None:
        """The finished job's answer, or why it ended otherwise (a string), or None: still running."""
        assert self.job is not None
        if self.connection.poll():
            try:
                answer: Answer = self.connection.recv()
                return answer
            except (EOFError, OSError):
                return self._died()
        if not self.process.is_alive():
            return self._died()
        if time.monotonic() - self.started > self.job.deadline:
            return TIMED_OUT + f" (no answer after {self.job.deadline:.0f} s; worker stopped)"
        memory = _resident_memory(self.process.pid)
        if memory is not None and memory > MEMORY_LIMIT:
            return CRASHED + f" (held {memory / 1024**3:.1f} GiB; worker stopped)"
        return None

    def _died(self) -> str:
        self.process.join(5)
        return CRASHED + f" (the worker died, exit code {self.process.exitcode})"

    def restart(self) -> None:
        self.kill()
        self._start()

    def kill(self) -> None:
        pid = self.process.pid
        if pid is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)  # the group _serve made, led by the worker
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        self.process.join(10)
        self.connection.close()

    def stop(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.connection.send(None)
        self.process.join(10)
        if self.process.is_alive():
            self.kill()
        else:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)  # anything its checks left behind
            self.connection.close()


def _resident_memory(pid: int) -> int | None:
    """Bytes of resident memory of a process (Linux), else None."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text(encoding="ascii").splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError):
        return None
    return None


@dataclass
class _KataRun:
    kata: Kata
    reference: str
    mutants: list[Mutant]
    entries: list[Equivalent]
    waiting: list[Mutant] = field(default_factory=list)  # not yet given to a worker
    outcomes: list[Outcome] = field(default_factory=list)
    reference_state: str = "waiting"  # "waiting", "running", "passed", "failed"
    limit: float = 0.0
    deadline: float = 0.0
    seconds: float = 0.0
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.error is not None or (
            self.reference_state == "passed" and len(self.outcomes) == len(self.mutants)
        )


class Scheduler:
    """Hands the kata runs' jobs to the workers: each kata's reference first, then its mutants;
    while a reference runs, another worker starts on the next kata."""

    def __init__(self, runs: list[_KataRun], timeout: float) -> None:
        self.runs = runs
        self.timeout = timeout
        for run in runs:
            run.waiting = list(run.mutants)

    def next_job(self) -> Job | None:
        for run in self.runs:
            if run.error is not None:
                continue
            if run.reference_state == "waiting":
                run.reference_state = "running"
                return Job(run.kata, None, max(self.timeout, REFERENCE_TIMEOUT), deadline=900.0)
            if run.reference_state == "passed" and run.waiting:
                return Job(run.kata, run.waiting.pop(0), run.limit, run.deadline)
        return None

    def finish(self, job: Job, answer: Answer | str, elapsed: float) -> None:
        """Note a job's answer, or why its worker ended otherwise (a string); ``elapsed``: the
        job's seconds, as the scheduler saw them."""
        run = next(run for run in self.runs if run.kata is job.kata)
        if job.mutant is None:
            self._reference_done(run, answer)
            return
        if isinstance(answer, str):
            run.seconds += elapsed
        if isinstance(answer, str):  # the worker crashed or was stopped
            verdict = TIMED_OUT if answer.startswith(TIMED_OUT) else CRASHED
            run.outcomes.append(Outcome(job.mutant, verdict, answer, elapsed))
            return
        code, first_failure, seconds, _, tail = answer
        run.seconds += seconds
        if code == 0:
            run.outcomes.append(Outcome(job.mutant, SURVIVED, "", seconds))
        elif code == 1:
            run.outcomes.append(Outcome(job.mutant, KILLED, first_failure or "a check failed", seconds))
        elif code in (2, 3):  # interrupted (a KeyboardInterrupt from the mutant), internal error
            reason = first_failure or _last_line(tail)
            run.outcomes.append(Outcome(job.mutant, CRASHED, f"pytest exit code {code}: {reason}", seconds))
        else:  # usage error, no checks collected: this script's fault, not the mutant's
            run.error = f"pytest exit code {code} on mutant {job.mutant.number}:\n{tail}"

    def _reference_done(self, run: _KataRun, answer: Answer | str) -> None:
        if isinstance(answer, str):
            run.reference_state, run.error = "failed", f"the reference's run: {answer}"
            return
        code, first_failure, seconds, slowest, tail = answer
        if code != 0:
            run.reference_state = "failed"
            why = first_failure or _last_line(tail)
            run.error = f"the reference fails its checks (pytest exit code {code}): {why}"
            return
        run.reference_state = "passed"
        run.limit = max(self.timeout, math.ceil(SLOWEST_CHECK_FACTOR * slowest))
        # Stop a worker that outlives its checks' own time limits by far: a mutant stuck where
        # the time limit's alarm cannot reach (inside a C call), or a hung child process.
        run.deadline = 3 * seconds + 2 * run.limit + 30


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()]
    return lines[-1].strip() if lines else "no output"


class Pool:
    """``jobs`` warm workers, started on entering: they import torch and transformers while the
    mutants are being made."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs

    def __enter__(self) -> Pool:
        self.root = Path(tempfile.mkdtemp(prefix="tfkatas-mutate-"))
        context = multiprocessing.get_context("spawn")
        self.workers = [Worker(context, self.root / f"worker{number}") for number in range(self.jobs)]
        return self

    def __exit__(self, *exc_info: object) -> None:
        for worker in self.workers:
            worker.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def run(self, runs: list[_KataRun], timeout: float, on_done: Callable[[_KataRun], None]) -> None:
        """Run every kata's reference and mutants; ``on_done(run)`` is called for each kata once
        its last mutant is judged."""
        scheduler = Scheduler(runs, timeout)
        reported: set[str] = set()
        while True:
            for worker in self.workers:
                if worker.job is None and (job := scheduler.next_job()) is not None:
                    worker.give(job)
            busy = [worker for worker in self.workers if worker.job is not None]
            if not busy:
                return
            multiprocessing.connection.wait([worker.connection for worker in busy], timeout=0.5)
            for worker in busy:
                answer = worker.outcome()
                if answer is None:
                    continue
                job, worker.job = worker.job, None
                assert job is not None
                scheduler.finish(job, answer, time.monotonic() - worker.started)
                if isinstance(answer, str):
                    worker.restart()
            for run in runs:
                if run.done and run.kata.name not in reported:
                    reported.add(run.kata.name)
                    on_done(run)


# -- fresh-process comparison -----------------------------------------------------------------


def fresh_run(kata: Kata, mutant: Mutant, limit: float) -> tuple[int, str | None]:
    """(pytest's exit code, first failing check) of a mutant's checks in a fresh pytest process."""
    with tempfile.TemporaryDirectory(prefix="tfkatas-mutate-fresh-") as name:
        folder = Path(name)
        katas_dir = _workspace(folder, kata, mutant.source)
        xml = folder / "report.xml"
        command = [
            sys.executable,
            "-m",
            "pytest",
            *pytest_args(kata.name, katas_dir, limit, folder / "tmp"),
            f"--junitxml={xml}",
        ]
        done = subprocess.run(command, cwd=folder, capture_output=True, check=False)
        first = None
        if xml.is_file():
            for case in ET.parse(xml).iter("testcase"):
                if any(child.tag in ("failure", "error") for child in case):
                    first = case.get("name")
                    break
        return done.returncode, first


def sample(outcomes: Sequence[Outcome], count: int) -> list[Outcome]:
    """Up to ``count`` outcomes to compare: the survivors first, then killed ones spread evenly."""
    judged = [outcome for outcome in outcomes if outcome.verdict in (KILLED, SURVIVED)]
    survivors = [outcome for outcome in judged if outcome.verdict == SURVIVED][: (count + 1) // 2]
    killed = [outcome for outcome in judged if outcome.verdict == KILLED]
    wanted = count - len(survivors)
    step = max(1, len(killed) // wanted) if wanted > 0 else len(killed) + 1
    return survivors + killed[::step][:wanted]


def compare_fresh(runs: Sequence[_KataRun], count: int, jobs: int) -> list[str]:
    """Run ``count`` mutants of each kata again in fresh processes; the differences, as lines."""
    chosen = [(run, outcome) for run in runs if run.error is None for outcome in sample(run.outcomes, count)]

    def verdict_of(item: tuple[_KataRun, Outcome]) -> str | None:
        run, outcome = item
        code, first = fresh_run(run.kata, outcome.mutant, run.limit)
        fresh = SURVIVED if code == 0 else KILLED
        warm_first = outcome.detail.split(" (")[0] if outcome.verdict == KILLED else None
        if fresh != outcome.verdict or (fresh == KILLED and first is not None and first != warm_first):
            return (
                f"  {run.kata.name} mutant {outcome.mutant.number}: warm {outcome.verdict}"
                f"{f' by {warm_first}' if warm_first else ''}, fresh {fresh}{f' by {first}' if first else ''}"
                f" (exit code {code})"
            )
        return None

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        differences = [line for line in pool.map(verdict_of, chosen) if line is not None]
    seconds = time.perf_counter() - start
    head = f"fresh-process comparison: {len(chosen)} mutants ({seconds:.0f} s), "
    if not differences:
        return [head + "every verdict the same as the warm worker's"]
    return [head + f"{len(differences)} verdicts differ:", *differences]


# -- the command ------------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Mutate the reference solutions with mutmut and run each mutant through its "
        "kata's checks in warm workers; report killed / survived / equivalent per kata (exit 1 if "
        "a mutant survives that is not listed as equivalent).",
    )
    parser.add_argument("--katas", required=True, help="topics, kata names or all, as for pytest --katas")
    parser.add_argument("--exclude", default="", help="kata names or topics to leave out of the selection")
    parser.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument(
        "--timeout",
        type=float,
        default=10.0,
        help="time limit per check, in seconds, of a mutant's run (default 10; at least "
        f"{SLOWEST_CHECK_FACTOR:g} times the reference's slowest check)",
    )
    parser.add_argument("--show-survivors", action="store_true", help="print each survivor's diff")
    parser.add_argument(
        "--compare-fresh",
        type=int,
        default=0,
        metavar="K",
        help="rerun K mutants of each kata in fresh pytest processes and name any verdict that differs",
    )
    args = parser.parse_args(argv)
    if args.jobs < 1:
        parser.error("--jobs must be at least 1")
    if args.timeout <= 0:
        parser.error("--timeout must be a positive number of seconds")
    cat = catalogue.load()
    try:
        chosen = cat.select(args.katas, option="--katas")
        left_out = (
            {kata.name for kata in cat.select(args.exclude, option="--exclude")} if args.exclude else set()
        )
    except catalogue.SelectionError as error:
        parser.error(str(error))
    args.selected = [kata for kata in chosen if kata.name not in left_out]
    if not args.selected:
        parser.error("--exclude leaves no kata to mutate")
    return args


def _plan(selected: Sequence[Kata]) -> tuple[list[_KataRun], list[str]]:
    """Each kata's mutants and equivalents; the problems that keep a kata from being judged."""
    cat = catalogue.load()
    runs: list[_KataRun] = []
    problems: list[str] = []
    entries_by_topic: dict[str, dict[str, list[Equivalent]]] = {}
    for kata in selected:
        if kata.topic not in entries_by_topic:
            try:
                entries_by_topic[kata.topic] = load_equivalents(
                    kata.topic, [k.name for k in cat.in_topic(kata.topic)]
                )
            except EquivalentsError as error:
                problems.append(str(error))
                entries_by_topic[kata.topic] = {}
        reference = kata.reference_path.read_text(encoding="utf-8")
        mutants = mutants_of(kata.name, reference, str(kata.reference_path))
        runs.append(_KataRun(kata, reference, mutants, entries_by_topic[kata.topic].get(kata.name, [])))
    return runs, problems


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    start = time.perf_counter()
    try:
        _mutmut()
    except MutmutUnavailable as error:
        print(error, file=sys.stderr)
        return 2
    with Pool(args.jobs) as pool:
        runs, problems = _plan(args.selected)
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        total = sum(len(run.mutants) for run in runs)
        topics = ", ".join(dict.fromkeys(kata.topic for kata in args.selected))
        print(
            f"mutmut {importlib.metadata.version('mutmut')}: {total} mutants of {len(runs)} katas "
            f"({topics}), {args.jobs} warm workers, --timeout {args.timeout:g} s",
            flush=True,
        )
        printer = _Printer([run.kata.name for run in runs])
        pool.run(runs, args.timeout, printer.done)
    results = [printer.tallies[run.kata.name] for run in runs]
    for line in _warnings(results):
        print(line)
    if args.show_survivors:
        for run, result in zip(runs, results, strict=True):
            if result.survived:
                print(f"\n{run.kata.name}: {len(result.survived)} survivors")
                for outcome in result.survived:
                    print(survivor_report(run.kata, run.reference, outcome))
                    print("    listed as equivalent by:\n" + _indent(entry_for(outcome.mutant), 6))
    print("\n" + _costs([outcome for run in runs for outcome in run.outcomes]))
    if args.compare_fresh > 0:
        for line in compare_fresh(runs, args.compare_fresh, args.jobs):
            print(line)
    killed = sum(len(result.killed) for result in results)
    survived = sum(len(result.survived) for result in results)
    equivalent = sum(len(result.equivalent) for result in results)
    unjudged = sum(result.error is not None for result in results)
    print(
        f"\n{len(results)} katas, {total} mutants: killed {killed}, survived {survived}, equivalent "
        f"{equivalent}"
        + (f"; {unjudged} katas not judged" if unjudged else "")
        + f"; wall time {time.perf_counter() - start:.0f} s with {args.jobs} workers"
    )
    if problems or unjudged:
        return 2
    return 1 if survived else 0


class _Printer:
    """Prints each kata's line once it and every kata before it are done: catalogue order."""

    def __init__(self, order: list[str]) -> None:
        self.order = order
        self.width = max(len(name) for name in order)
        self.tallies: dict[str, KataTally] = {}
        self.printed = 0

    def done(self, run: _KataRun) -> None:
        result = tally(run.kata, run.outcomes, run.entries, run.seconds)
        result.error = run.error
        self.tallies[run.kata.name] = result
        while self.printed < len(self.order) and self.order[self.printed] in self.tallies:
            print(self.tallies[self.order[self.printed]].line(self.width), flush=True)
            self.printed += 1


def _warnings(results: Sequence[KataTally]) -> Iterator[str]:
    for result in results:
        for entry in result.stale:
            yield f"warning: {result.kata.name}: stale equivalent (matches no mutant): {entry.describe()}"
        for entry, outcome in result.wrongly_listed:
            yield (
                f"warning: {result.kata.name}: listed as equivalent but {outcome.verdict} "
                f"({outcome.detail}): {entry.describe()}"
            )
        if result.error is not None and "\n" in result.error:
            yield f"{result.kata.name}: {result.error}"


def _costs(outcomes: Sequence[Outcome]) -> str:
    """The mean time of a mutant's run, killed and survived apart."""
    parts = []
    for verdict in (KILLED, SURVIVED):
        seconds = [outcome.seconds for outcome in outcomes if outcome.verdict == verdict]
        if seconds:
            parts.append(f"{verdict} {sum(seconds) / len(seconds):.2f} s ({len(seconds)} runs)")
    return "mean time of a mutant's run in a warm worker: " + (", ".join(parts) or "no runs")


def _indent(text: str, spaces: int) -> str:
    return "\n".join(" " * spaces + line for line in text.splitlines())


if __name__ == "__main__":
    with contextlib.suppress(KeyboardInterrupt):
        sys.exit(main())
    sys.exit(130)
