"""Process hygiene: what a learner's code leaves changed in pytest's process (torch's default dtype
and gradient mode, the working folder, threads, warning filters, signal handlers and alarms, the
recursion limit, sys.modules, the library's functions, child processes, a 4 GiB buffer) fails
that kata's check with the learner's file and line, is put back before the next check, and leaves
every other kata's verdict and the progress record intact.

The broken learner files are in ``tests/broken/<kata>/``, the line to blame marked ``# <- here``.
Each leak is shown to matter: without the hygiene plugin (``-p no:tfkatas-process-hygiene``) a
later kata fails, or the probe below sees the damage at the start of a later check.
"""

from __future__ import annotations

import os
import resource
import signal
import sys
import tempfile
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import torch

from tests.test_robustness import (
    BROKEN,
    CATALOGUE,
    KATA,
    OTHER,
    Workspace,
    assert_blames_the_line,
    flat,
    marked_lines,
    output_of,
    reported_failure,
)

#: Later katas than KATA (stable_log_softmax), solved in the same run: each fails when a leak of
#: KATA's reaches it.
VALIDATOR = CATALOGUE.kata("validate_parameters")  # debugging, after stable_log_softmax
TRAINER = CATALOGUE.kata("adversarial_debias_step")  # trains: float64 or no gradients break it
LOADER = CATALOGUE.kata("load_model_and_tokenizer")  # imports transformers
PATCHER = CATALOGUE.kata("handle_errors")
WITHOUT_HYGIENE = ("-p", "no:tfkatas-process-hygiene")


@pytest.fixture
def workspace(pytester: pytest.Pytester) -> Workspace:
    return Workspace(pytester)


def one_check_and(*katas: Any) -> tuple[str, str]:
    """``-k``: the first check of KATA, and every check of ``katas``."""
    return "-k", " or ".join(["test_normal_logits_give_the_log_softmax", *(kata.name for kata in katas)])


class Probe:
    """Notes ``look()`` as each check's call begins (after its set-up, before the hygiene's window),
    and the working folder when the last check has ended."""

    def __init__(self, look: Callable[[], object]) -> None:
        self.look = look
        self.seen: dict[str, object] = {}
        self.final_cwd: str | None = None

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> None:
        self.seen[item.nodeid] = self.look()

    def pytest_runtest_logfinish(self) -> None:
        self.final_cwd = os.getcwd()  # pytest goes back where it began itself, before its summary

    def of(self, kata: Any) -> list[object]:
        return [seen for nodeid, seen in self.seen.items() if f"test_{kata.name}.py" in nodeid]


def assert_kata_solved(workspace: Workspace, result: pytest.RunResult, kata: Any) -> None:
    assert f"✓ {kata.name} solved!" in result.stdout.str(), output_of(result)[-3000:]
    assert workspace.record()["katas"][kata.name]["first_solved"], "its progress is saved"


def run_broken(
    workspace: Workspace, broken: str, *katas: Any, args: tuple[str, ...] = (), **kwargs: Any
) -> pytest.RunResult:
    """KATA from ``tests/broken/stable_log_softmax/<broken>``, and ``katas`` solved, in one run."""
    workspace.copy(KATA, BROKEN / KATA.name / broken)
    for kata in katas:
        workspace.solve(kata)
    names = ",".join([KATA.name, *(kata.name for kata in katas)])
    return workspace.pytester.runpytest("--katas", names, *args, **kwargs)


@pytest.fixture
def torch_state() -> Iterator[None]:
    """A run without the hygiene leaves torch's state changed in this process too: set it back."""
    dtype, grad = torch.get_default_dtype(), torch.is_grad_enabled()
    yield
    torch.set_default_dtype(dtype)
    torch.set_grad_enabled(grad)


# -- state a later kata depends on ---------------------------------------------------------------

# Each broken file, what the learner is told, and a later kata that the leak would break.
LEAKS = {
    "leaves_default_dtype_float64.py": (
        ["It left torch's default dtype set to torch.float64", "It is torch.float32 again."],
        TRAINER,
    ),
    "leaves_gradients_off.py": (
        ["It left gradient tracking turned off", "would compute no gradients", "It is on again."],
        TRAINER,
    ),
    "removes_transformers_from_sys_modules.py": (
        ["It removed transformers and", "more modules from sys.modules", "They have been put back."],
        LOADER,
    ),
    "blocks_torch_in_sys_modules.py": (
        ["It set sys.modules['torch'] to None", "every later `import torch` would fail"],
        VALIDATOR,
    ),
    "fakes_transformers_in_sys_modules.py": (
        ["It replaced sys.modules['transformers'] with <module 'transformers'>"],
        LOADER,
    ),
}


@pytest.mark.parametrize("broken", list(LEAKS), ids=lambda name: name.removesuffix(".py"))
def test_state_left_changed_fails_the_check_with_the_line_and_a_later_kata_is_still_solved(
    workspace: Workspace, broken: str
) -> None:
    words, later = LEAKS[broken]
    result = run_broken(workspace, broken, later, args=one_check_and(later))
    assert result.ret == pytest.ExitCode.TESTS_FAILED, output_of(result)[-3000:]
    message = reported_failure(result, KATA)
    assert "Called stable_log_softmax(tensor(shape=[2, 10, 512], dtype=float32)). It " in message, message
    for word in words:
        assert word in message, f"{word!r} not in: {message}"
    assert_blames_the_line(message, BROKEN / KATA.name / broken)
    assert_kata_solved(workspace, result, later)
    assert workspace.record()["katas"][KATA.name]["attempts"] == 1


@pytest.mark.usefixtures("torch_state")
@pytest.mark.parametrize("broken", list(LEAKS), ids=lambda name: name.removesuffix(".py"))
def test_without_the_hygiene_each_of_those_leaks_fails_the_later_kata(
    workspace: Workspace, broken: str
) -> None:
    _, later = LEAKS[broken]
    result = run_broken(workspace, broken, later, args=(*one_check_and(later), *WITHOUT_HYGIENE))
    assert f"✓ {later.name} solved!" not in result.stdout.str()
    assert f"✗ {later.name}" in result.stdout.str()


def test_a_recursion_limit_left_low_fails_the_check_and_is_set_back(workspace: Workspace) -> None:
    # A subprocess: in this process pytest's stack is already deeper than the learner's limit.
    workspace.copy(KATA, BROKEN / KATA.name / "lowers_the_recursion_limit.py")
    workspace.solve(VALIDATOR)
    result = workspace.run(
        "--katas", f"{KATA.name},{VALIDATOR.name}", *one_check_and(VALIDATOR), subprocess=True
    )
    message = reported_failure(result, KATA)
    assert "It left the recursion limit at 50 (sys.setrecursionlimit(50), " in message, message
    assert "any later check that calls deeper fails with RecursionError" in message
    assert_blames_the_line(message, BROKEN / KATA.name / "lowers_the_recursion_limit.py")
    assert_kata_solved(workspace, result, VALIDATOR)


def test_a_second_import_of_torch_gets_the_loaded_torch_back_and_the_run_survives(
    workspace: Workspace,
) -> None:
    # A subprocess: without the hygiene a second torch crashes the process (a segmentation fault).
    workspace.copy(KATA, BROKEN / KATA.name / "reimports_torch.py")
    workspace.solve(TRAINER)
    result = workspace.run("--katas", f"{KATA.name},{TRAINER.name}", *one_check_and(TRAINER), subprocess=True)
    message = reported_failure(result, KATA)
    assert "It removed torch and" in message and "from sys.modules" in message, message
    assert "An import of it during the check got back the module already loaded." in message
    assert_blames_the_line(message, BROKEN / KATA.name / "reimports_torch.py")
    assert_kata_solved(workspace, result, TRAINER)


# -- state seen by a probe at the start of later checks ----------------------------------------


@pytest.mark.parametrize(
    "plugins", [(), ("-p", "no:warnings")], ids=["pytest's warnings plugin", "without it"]
)
def test_warning_filters_left_changed_fail_the_check_and_are_put_back(
    workspace: Workspace, plugins: tuple[str, ...]
) -> None:
    probe = Probe(
        lambda: any(action == "error" and category is Warning for action, _, category, *_ in warnings.filters)
    )
    result = run_broken(
        workspace,
        "warnings_become_errors.py",
        VALIDATOR,
        args=(*one_check_and(VALIDATOR), *plugins),
        plugins=[probe],
    )
    message = reported_failure(result, KATA)
    assert "It left the warning filters changed (warnings.simplefilter('error'), " in message, message
    assert_blames_the_line(message, BROKEN / KATA.name / "warnings_become_errors.py")
    assert_kata_solved(workspace, result, VALIDATOR)
    assert probe.of(VALIDATOR) and not any(probe.of(VALIDATOR)), "no 'error' filter in later checks"
    # Without pytest's own warnings plugin, only the hygiene puts them back (as in watch mode).
    without = run_broken(
        workspace,
        "warnings_become_errors.py",
        VALIDATOR,
        args=(*one_check_and(VALIDATOR), *plugins, *WITHOUT_HYGIENE),
        plugins=[probe := Probe(probe.look)],
    )
    assert all(probe.of(VALIDATOR)) == bool(plugins), without.stdout.str()[-2000:]


@pytest.mark.parametrize("timeout", ["60", "0"], ids=["time limit", "no time limit"])
def test_a_sigalrm_handler_and_alarm_left_behind_fail_the_check_and_are_undone(
    workspace: Workspace, timeout: str
) -> None:
    def alarm_state() -> tuple[str, float]:
        handler = signal.getsignal(signal.SIGALRM)
        return getattr(handler, "__qualname__", str(handler)), signal.getitimer(signal.ITIMER_REAL)[0]

    probe = Probe(alarm_state)
    args = (*one_check_and(VALIDATOR), "--katas-timeout", timeout)
    result = run_broken(workspace, "sets_an_alarm.py", VALIDATOR, args=args, plugins=[probe])
    message = reported_failure(result, KATA)
    assert (
        "It left the handler of SIGALRM changed to _too_slow (signal.signal(SIGALRM, _too_slow), " in message
    )
    assert "the time limit of every check uses SIGALRM" in message
    # Without a time limit, the learner's alarm is still pending when the check ends.
    assert ("It left an alarm pending (signal.alarm(30), " in message) == (timeout == "0"), message
    assert_blames_the_line(message, BROKEN / KATA.name / "sets_an_alarm.py")
    assert_kata_solved(workspace, result, VALIDATOR)
    for handler, timer in probe.of(VALIDATOR):
        assert handler != "_too_slow"
        assert timeout != "0" or timer == 0.0
    if timeout == "0":
        without = Probe(alarm_state)
        handler = signal.getsignal(signal.SIGALRM)
        try:
            run_broken(
                workspace, "sets_an_alarm.py", VALIDATOR, args=(*args, *WITHOUT_HYGIENE), plugins=[without]
            )
        finally:  # what the run without the hygiene left in this process
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, handler)
        assert all(handler == "_too_slow" and timer > 0 for handler, timer in without.of(VALIDATOR))


def test_ctrl_c_left_ignored_fails_the_check_and_is_set_back(workspace: Workspace) -> None:
    probe = Probe(lambda: signal.getsignal(signal.SIGINT))
    result = run_broken(
        workspace, "ignores_ctrl_c.py", VALIDATOR, args=one_check_and(VALIDATOR), plugins=[probe]
    )
    message = reported_failure(result, KATA)
    assert "It left the handler of SIGINT changed to SIG_IGN (signal.signal(SIGINT, SIG_IGN), " in message
    assert "Ctrl-C would no longer stop the run" in message
    assert_blames_the_line(message, BROKEN / KATA.name / "ignores_ctrl_c.py")
    assert_kata_solved(workspace, result, VALIDATOR)
    assert probe.of(VALIDATOR) and all(seen is signal.default_int_handler for seen in probe.of(VALIDATOR))


def test_a_folder_changed_in_the_function_fails_the_check_and_is_changed_back(workspace: Workspace) -> None:
    probe = Probe(os.getcwd)
    result = run_broken(
        workspace, "changes_folder_in_function.py", VALIDATOR, args=one_check_and(VALIDATOR), plugins=[probe]
    )
    message = reported_failure(result, KATA)
    assert f"It left the working folder changed to {tempfile.gettempdir()!r} (os.chdir(" in message, message
    assert_blames_the_line(message, BROKEN / KATA.name / "changes_folder_in_function.py")
    assert_kata_solved(workspace, result, VALIDATOR)
    assert all(Path(cwd).name.startswith("test_") for cwd in probe.of(VALIDATOR)), (
        "each check in its own folder"
    )
    assert probe.final_cwd == str(workspace.pytester.path)


def test_a_folder_changed_at_import_fails_the_first_check_and_every_check_ends_where_it_began(
    workspace: Workspace,
) -> None:
    probe = Probe(os.getcwd)
    result = run_broken(workspace, "changes_folder_at_import.py", VALIDATOR, plugins=[probe])
    message = reported_failure(result, KATA)
    assert f"Importing katas/{KATA.relpath} left the working folder changed (os.chdir(" in message, message
    assert_blames_the_line(message, BROKEN / KATA.name / "changes_folder_at_import.py")
    result.stdout.fnmatch_lines([f"✗ {KATA.name}  1 of * checks failing*"])
    assert_kata_solved(workspace, result, VALIDATOR)
    assert probe.final_cwd == str(workspace.pytester.path)
    # Without the hygiene, the kata fixture's monkeypatch takes the learner's folder for the one
    # to go back to: every check ends there, the last one too.
    without = Probe(os.getcwd)
    run_broken(workspace, "changes_folder_at_import.py", VALIDATOR, args=WITHOUT_HYGIENE, plugins=[without])
    assert without.final_cwd == str(workspace.katas / "debugging")


def test_a_thread_left_running_fails_the_check_and_is_stopped(workspace: Workspace) -> None:
    def learner_threads() -> list[str]:
        return [thread.name for thread in threading.enumerate() if "_watch" in thread.name]

    probe = Probe(learner_threads)
    result = run_broken(
        workspace, "leaves_a_thread_running.py", VALIDATOR, args=one_check_and(VALIDATOR), plugins=[probe]
    )
    message = reported_failure(result, KATA)
    fixture = BROKEN / KATA.name / "leaves_a_thread_running.py"
    start = max(marked_lines(fixture))  # the thread.start() line; the others are its loop
    assert f"It left a thread running (started at katas/{KATA.relpath}, line {start}, now at " in message
    assert "It has been stopped." in message, message
    assert_blames_the_line(message, fixture)
    assert_kata_solved(workspace, result, VALIDATOR)
    assert probe.of(VALIDATOR) and not any(probe.of(VALIDATOR)), "no thread of the learner's in later checks"


def test_a_thread_that_cannot_be_stopped_is_named_and_said_to_run_on(workspace: Workspace) -> None:
    result = run_broken(workspace, "leaves_a_sleeping_thread.py", VALIDATOR, args=one_check_and(VALIDATOR))
    message = reported_failure(result, KATA)
    assert "It left a thread running (started at " in message
    assert "It could not be stopped, and runs on until it ends." in message, message
    assert_blames_the_line(message, BROKEN / KATA.name / "leaves_a_sleeping_thread.py")
    assert_kata_solved(workspace, result, VALIDATOR)


def test_a_patched_library_function_fails_the_check_and_the_original_is_put_back(
    workspace: Workspace,
) -> None:
    from transformers import AutoModelForCausalLM

    original = vars(AutoModelForCausalLM)["from_pretrained"]

    def patched() -> bool:
        return vars(AutoModelForCausalLM)["from_pretrained"] is not original

    probe = Probe(patched)
    fixture = BROKEN / PATCHER.name / "patches_from_pretrained.py"
    workspace.copy(PATCHER, fixture)
    workspace.solve(OTHER)
    names = f"{PATCHER.name},{OTHER.name}"
    result = workspace.pytester.runpytest("--katas", names, plugins=[probe])
    message = reported_failure(result, PATCHER)
    (line,) = marked_lines(fixture)
    assert (
        "It replaced transformers.AutoModelForCausalLM.from_pretrained with your function wrapper "
        f"(katas/{PATCHER.relpath}, line {line}): every later check would call that" in message
    ), message
    assert_kata_solved(workspace, result, OTHER)
    assert probe.of(OTHER) and not any(probe.of(OTHER)), "the library's own from_pretrained in later checks"
    assert not patched()
    without = Probe(patched)
    workspace.pytester.runpytest("--katas", names, *WITHOUT_HYGIENE, plugins=[without])
    AutoModelForCausalLM.from_pretrained = original  # what the run without the hygiene left here
    assert all(without.of(OTHER))


# -- child processes and memory ------------------------------------------------------------------


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; the system reaps it


@pytest.mark.skipif(not hasattr(os, "fork") or not Path("/proc").is_dir(), reason="needs os.fork and /proc")
@pytest.mark.parametrize(
    ("broken", "words"),
    [
        ("forks_sleeping_children.py", "It left 5 child processes running (started at "),
        (
            "forks_without_checking.py",
            "It forked 3 child processes that returned from your code into the check",
        ),
        ("leaves_a_process_running.py", "It left 1 child process running (started at "),
    ],
    ids=["children that sleep", "children that return", "a multiprocessing worker"],
)
def test_child_processes_are_stopped_and_never_run_pytest_again(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, broken: str, words: str
) -> None:
    pids = tmp_path / "pids.txt"
    monkeypatch.setenv("TFKATAS_TEST_PIDS", str(pids))
    workspace.copy(KATA, BROKEN / KATA.name / broken)
    workspace.solve(VALIDATOR)
    # A subprocess: a child that escaped would run the rest of this test session too.
    result = workspace.run(
        "--katas", f"{KATA.name},{VALIDATOR.name}", *one_check_and(VALIDATOR), subprocess=True
    )
    message = reported_failure(result, KATA)
    assert words in message, message
    assert_blames_the_line(message, BROKEN / KATA.name / broken)
    assert_kata_solved(workspace, result, VALIDATOR)
    assert result.stdout.str().count("Overall:") == 1, "no child ran pytest's report a second time"
    started = [int(pid) for pid in pids.read_text().split()]
    assert len(started) == {"forks_sleeping_children.py": 5, "forks_without_checking.py": 4}.get(broken, 1)
    deadline = time.monotonic() + 5
    while any(map(alive, started)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [pid for pid in started if alive(pid)], "no child outlives the run"


def resident_bytes() -> int:
    return int(Path("/proc/self/statm").read_text().split()[1]) * resource.getpagesize()


@pytest.mark.skipif(not Path("/proc/self/statm").is_file(), reason="reads /proc/self/statm")
@pytest.mark.parametrize(
    ("broken", "hygiene"),
    [
        ("allocates_4_gib.py", True),
        ("allocates_4_gib_then_fails.py", True),
        ("allocates_4_gib_then_fails.py", False),
    ],
    ids=["passes", "fails", "fails, without the hygiene"],
)
def test_a_4_gib_buffer_is_freed_after_the_check_whether_it_passes_or_fails(
    workspace: Workspace, broken: str, hygiene: bool
) -> None:
    probe = Probe(resident_bytes)
    args = one_check_and(VALIDATOR) + (() if hygiene else WITHOUT_HYGIENE)
    result = run_broken(workspace, broken, VALIDATOR, args=args, plugins=[probe])
    passed = "then_fails" not in broken
    assert (f"✗ {KATA.name}" in result.stdout.str()) != passed, output_of(result)[-2000:]
    if not passed:
        assert "ValueError: not finished, 4294967296 bytes of scratch space in use" in reported_failure(
            result, KATA
        )
    assert_kata_solved(workspace, result, VALIDATOR)
    before = next(iter(probe.seen.values()))
    held = max(probe.of(VALIDATOR)) - before  # type: ignore[operator]
    if hygiene:
        assert held < 2**30, f"{held / 2**30:.1f} GiB still held in later checks"
    else:
        assert held > 3 * 2**30, "pytest keeps the failure's traceback, and with it the buffer"
        for name in ("last_type", "last_value", "last_traceback"):
            if hasattr(sys, name):
                delattr(sys, name)


# -- what is not the learner's doing, or is done right -------------------------------------------

RESTORES_WHAT_IT_CHANGES = '''\
"""A correct stable_log_softmax that changes process state on the way and puts all of it back."""

import contextlib
import os
import signal
import sys
import tempfile
import threading
import unittest.mock
import warnings

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    previous_dtype = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    try:
        torch.zeros(1)
    finally:
        torch.set_default_dtype(previous_dtype)
    previous_limit = sys.getrecursionlimit()
    sys.setrecursionlimit(previous_limit + 100)
    sys.setrecursionlimit(previous_limit)
    previous_handler = signal.signal(signal.SIGUSR1, signal.SIG_IGN)
    signal.signal(signal.SIGUSR1, previous_handler)
    with contextlib.chdir(tempfile.gettempdir()):
        pass
    helper = threading.Thread(target=sum, args=([1, 2],))
    helper.start()
    helper.join()
    if hasattr(os, "fork"):
        child = os.fork()
        if child == 0:
            os._exit(0)
        os.waitpid(child, 0)
    with unittest.mock.patch.dict(sys.modules, {"tfkatas_fake": object()}):
        pass
    with unittest.mock.patch("torch.logsumexp", torch.logsumexp):
        pass
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with torch.no_grad():
            result = logits - torch.logsumexp(logits, dim=dim, keepdim=True)
    return result
'''


def test_a_solution_that_puts_back_what_it_changes_is_not_failed(workspace: Workspace) -> None:
    (workspace.katas / KATA.relpath).write_text(RESTORES_WHAT_IT_CHANGES, encoding="utf-8")
    result = workspace.run("--katas", KATA.name)
    assert result.ret == pytest.ExitCode.OK, flat(result.stdout.str())[-3000:]
    assert f"✓ {KATA.name} solved!" in result.stdout.str()


def test_a_solution_that_forks_is_solved_while_a_thread_that_could_not_be_stopped_sleeps_on(
    workspace: Workspace,
) -> None:
    """The stopped thread's pending exception, flagged for the whole interpreter by CPython 3.11,
    once made the forked child loop for ever at its first call under tracing."""
    first = run_broken(workspace, "leaves_a_sleeping_thread.py", VALIDATOR, args=one_check_and(VALIDATOR))
    assert "It could not be stopped, and runs on until it ends." in reported_failure(first, KATA)
    (workspace.katas / KATA.relpath).write_text(RESTORES_WHAT_IT_CHANGES, encoding="utf-8")
    result = workspace.run("--katas", KATA.name, "--katas-timeout", "20")  # a hang fails in 20 s
    assert result.ret == pytest.ExitCode.OK, flat(result.stdout.str())[-3000:]


def test_a_loop_that_catches_the_time_limits_stop_is_stopped_after_a_thread_could_not_be_stopped(
    workspace: Workspace,
) -> None:
    """Cancelling the unstoppable thread's exception left CPython 3.11's interpreter-wide flag up,
    and the time limit's tracer of a bare-except loop then recursed for ever at its entry."""
    import faulthandler

    first = run_broken(workspace, "leaves_a_sleeping_thread.py", VALIDATOR, args=one_check_and(VALIDATOR))
    assert "It could not be stopped, and runs on until it ends." in reported_failure(first, KATA)
    faulthandler.dump_traceback_later(120, exit=True)  # a hang ends the test run, loudly
    try:
        looping = run_broken(workspace, "bare_except_loop.py", args=("--katas-timeout", "2"))
    finally:
        faulthandler.cancel_dump_traceback_later()
    assert "Your code caught the stop and went on" in flat(looping.stdout.str())


#: A library that, like defusedxml, removes a module from sys.modules on purpose to import a fresh
#: copy of it, then puts the original back.
FRESH_COPY_LIBRARY = """\
import importlib
import sys


def fresh_copy(name):
    original = sys.modules.pop(name)
    try:
        return importlib.import_module(name)
    finally:
        sys.modules[name] = original
"""


def test_a_library_that_imports_a_fresh_copy_on_purpose_gets_one(
    workspace: Workspace, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = pytester.path / "site"
    site.mkdir()
    (site / "tfkatas_freshlib.py").write_text(FRESH_COPY_LIBRARY, encoding="utf-8")
    (site / "tfkatas_target.py").write_text("import sys\nCOPY = len(sys.modules)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    import tfkatas_target

    monkeypatch.setitem(sys.modules, "tfkatas_target", tfkatas_target)
    reference = KATA.reference_path.read_text(encoding="utf-8")
    definition = "def stable_log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:\n"
    check = (
        "    import tfkatas_freshlib, tfkatas_target\n"
        "    assert tfkatas_freshlib.fresh_copy('tfkatas_target') is not tfkatas_target\n"
    )
    (workspace.katas / KATA.relpath).write_text(
        reference.replace(definition, definition + check), encoding="utf-8"
    )
    result = workspace.run("--katas", KATA.name)
    assert result.ret == pytest.ExitCode.OK, flat(result.stdout.str())[-3000:]
    monkeypatch.delitem(sys.modules, "tfkatas_freshlib", raising=False)


#: A library that, like transformers on its first from_pretrained, puts a new module object in
#: sys.modules in place of one already imported.
REPLACING_LIBRARY = """\
import sys
import types


def replace(name):
    fresh = types.ModuleType(name)
    fresh.__dict__.update(vars(sys.modules[name]))
    sys.modules[name] = fresh
"""


def test_a_library_replacing_a_module_is_not_blamed_on_a_learner_who_says_modules_but_not_sys_modules(
    workspace: Workspace, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = pytester.path / "site"
    site.mkdir()
    (site / "tfkatas_replacer.py").write_text(REPLACING_LIBRARY, encoding="utf-8")
    (site / "tfkatas_replaced.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    import tfkatas_replaced

    monkeypatch.setitem(sys.modules, "tfkatas_replaced", tfkatas_replaced)
    reference = KATA.reference_path.read_text(encoding="utf-8")
    definition = "def stable_log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:\n"
    check = (
        "    import tfkatas_replacer\n"
        "    assert len(list(torch.nn.Sequential(torch.nn.ReLU()).modules())) == 2\n"
        "    assert torch.nn.modules.module.register_module_forward_hook is not None\n"
        "    tfkatas_replacer.replace('tfkatas_replaced')\n"
    )
    (workspace.katas / KATA.relpath).write_text(
        reference.replace(definition, definition + check), encoding="utf-8"
    )
    result = workspace.run("--katas", KATA.name)
    assert result.ret == pytest.ExitCode.OK, flat(result.stdout.str())[-3000:]
    monkeypatch.delitem(sys.modules, "tfkatas_replacer", raising=False)
