"""A kata run under broken learner code: it finishes, blames the learner's own file and line, keeps
every other kata's verdict and the progress, and keeps its output small.

The broken learner files are in ``tests/broken/<kata>/``; the line where each goes wrong carries a
``# <- here`` comment (a loop marks each of its lines: the time limit may stop it on any of them).
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue, progress, zoo
from pytest_tfkatas.harness import OFFLINE_TIP, KataFunction, expect_raises, pitfall_tip
from pytest_tfkatas.trimming import MAX_SECTION, trim
from pytest_tfkatas.zoowatch import _ZooWatch

CATALOGUE = catalogue.load()
REPO = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken"
#: The kata the broken files implement, and a kata solved in the same run: its verdict must hold.
KATA = CATALOGUE.kata("stable_log_softmax")
OTHER = CATALOGUE.kata("retry_with_backoff")
LIMIT = "2"
MAX_OUTPUT = 100_000


class Workspace:
    """A learner's folder of pristine stubs, run with pytest in this process (or a subprocess)."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.katas = pytester.path / "katas"
        for kata in CATALOGUE.katas:
            target = self.katas / kata.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / "katas" / kata.relpath, target)

    def solve(self, kata: catalogue.Kata) -> None:
        shutil.copyfile(kata.reference_path, self.katas / kata.relpath)

    def copy(self, kata: catalogue.Kata, broken: Path) -> None:
        shutil.copyfile(broken, self.katas / kata.relpath)

    def run(self, *args: str, subprocess: bool = False) -> pytest.RunResult:
        if subprocess:
            return self.pytester.runpytest_subprocess(*args, timeout=300)
        return self.pytester.runpytest(*args)

    def record(self) -> dict:
        key = progress.cache_key(self.katas, self.pytester.path)
        return json.loads((self.pytester.path / ".pytest_cache" / "v" / key).read_text(encoding="utf-8"))


@pytest.fixture
def workspace(pytester: pytest.Pytester) -> Workspace:
    return Workspace(pytester)


def marked_lines(file: Path) -> set[int]:
    lines = file.read_text(encoding="utf-8").splitlines()
    return {number for number, line in enumerate(lines, start=1) if "# <- here" in line}


def output_of(result: pytest.RunResult) -> str:
    return result.stdout.str() + result.stderr.str()


def flat(text: str) -> str:
    """Text with line wrapping undone: the report wraps long lines at the terminal's width."""
    return " ".join(text.split())


def reported_failure(result: pytest.RunResult, kata: catalogue.Kata) -> str:
    """The first failing check's message, as the kata report at the end of the run shows it."""
    report = result.stdout.str().split("─ tfkatas ─")[-1]
    block = report.split(f"✗ {kata.name}", 1)[1]
    message = block.split("first failing check:", 1)[1]
    return flat(re.split(r"\n  Hint |\n[✓✗○-] ", message)[0])


def assert_blames_the_line(message: str, fixture: Path) -> None:
    assert f"katas/{KATA.relpath}" in message, message
    lines = {int(n) for n in re.findall(r"line (\d+)", message)}
    assert lines & marked_lines(fixture), f"no line of {sorted(marked_lines(fixture))} in: {message}"


# Each broken file, and words of what the learner is told about it.
FAILURE_MODES = {
    "syntax_error.py.txt": ["Importing katas/debugging/stable_log_softmax.py failed", "SyntaxError"],
    "import_error.py": [
        "ImportError: cannot import name 'ViTFeatureExtractor'",
        "Tip: feature extractors are gone from transformers 5",
    ],
    "name_error_at_import.py": ["NameError: name 'default_dim' is not defined"],
    "exit_at_import.py": ["SystemExit(0): the file calls sys.exit() or exit() when imported"],
    "exit_in_function.py": ["It raised SystemExit(1)", "that ends the whole program, pytest included"],
    "endless_loop_at_import.py": [
        f"It was stopped after {LIMIT} s, the time limit of a check",
        "Code at the top level of your file runs when the file is imported",
        "--katas-timeout SECONDS",
    ],
    "endless_loop_in_function.py": [
        "Called stable_log_softmax(tensor(shape=[2, 10, 512], dtype=float32)).",
        f"It was stopped after {LIMIT} s, the time limit of a check",
        "a loop whose exit condition never changes",
        "--katas-timeout SECONDS, or katas_timeout in your pytest configuration",
    ],
    "swallowing_retry_loop.py": [
        f"It was stopped after {LIMIT} s",
        "a retry that waits or tries again for ever",
    ],
    "bare_except_loop.py": [
        f"It was stopped after {LIMIT} s",
        "Your code caught the stop and went on: a bare `except:`",
    ],
    "memory_error_at_import.py": ["Importing katas/debugging/stable_log_softmax.py failed", "MemoryError"],
    "memory_error_in_function.py": ["MemoryError", "raised while calling stable_log_softmax("],
    "prints_megabytes_at_import.py": ["ValueError: not finished", "raised while calling stable_log_softmax("],
    "prints_megabytes_in_function.py": ["ValueError: giving up on", "characters cut"],
}


@pytest.mark.parametrize("broken", list(FAILURE_MODES), ids=lambda name: name.split(".")[0])
def test_broken_code_fails_only_its_kata_with_the_learners_line_and_a_short_output(
    workspace: Workspace, broken: str
) -> None:
    fixture = BROKEN / KATA.name / broken
    workspace.copy(KATA, fixture)
    workspace.solve(OTHER)
    result = workspace.run("--katas", f"{KATA.name},{OTHER.name}", "--katas-timeout", LIMIT)

    assert result.ret == pytest.ExitCode.TESTS_FAILED, output_of(result)[-3000:]
    message = reported_failure(result, KATA)
    for words in FAILURE_MODES[broken]:
        assert words in message, f"{words!r} not in: {message}"
    assert_blames_the_line(message, fixture)
    assert f"✓ {OTHER.name} solved!" in result.stdout.str(), "the other kata keeps its verdict"
    size = len(output_of(result))
    assert size < MAX_OUTPUT, f"{size} characters of output"
    record = workspace.record()["katas"]
    assert record[OTHER.name]["first_solved"], "the other kata's progress is saved"
    assert record[KATA.name]["attempts"] == 1


def test_os_exit_in_the_learners_function_fails_the_check_instead_of_ending_the_run(
    workspace: Workspace,
) -> None:
    fixture = BROKEN / KATA.name / "os_exit_in_function.py"
    workspace.copy(KATA, fixture)
    workspace.solve(OTHER)
    # A subprocess: if the guard failed, os._exit would end this test run too.
    result = workspace.run("--katas", f"{KATA.name},{OTHER.name}", subprocess=True)
    assert result.ret == pytest.ExitCode.TESTS_FAILED, output_of(result)[-3000:]
    message = reported_failure(result, KATA)
    assert "It called os._exit(3)" in message and "that ends the whole program" in message
    assert_blames_the_line(message, fixture)
    assert f"✓ {OTHER.name} solved!" in result.stdout.str()
    assert workspace.record()["katas"][OTHER.name]["first_solved"]


def test_once_a_check_is_stopped_the_katas_other_checks_fail_at_once(workspace: Workspace) -> None:
    workspace.copy(KATA, BROKEN / KATA.name / "endless_loop_in_function.py")
    result = workspace.pytester.inline_run("--katas", KATA.name, "--katas-timeout", LIMIT)
    calls = [r for r in result.getreports("pytest_runtest_logreport") if r.when == "call"]
    assert calls and all(r.failed for r in calls)
    first, *rest = calls
    assert float(LIMIT) <= first.duration < float(LIMIT) + 1.5
    assert rest and all(r.duration < 0.5 for r in rest), [round(r.duration, 2) for r in rest]
    assert "Not run: the check test_normal_logits_give_the_log_softmax of stable_log_softmax was stopped" in (
        rest[0].longreprtext
    )


def test_the_ini_option_sets_the_time_limit(workspace: Workspace) -> None:
    workspace.pytester.makeini("[pytest]\nkatas_timeout = 1.5\n")
    workspace.copy(KATA, BROKEN / KATA.name / "endless_loop_in_function.py")
    result = workspace.pytester.inline_run("--katas", KATA.name)
    first = next(r for r in result.getreports("pytest_runtest_logreport") if r.when == "call")
    assert 1.5 <= first.duration < 3.0
    assert "It was stopped after 1.5 s, the time limit of a check" in first.longreprtext


@pytest.mark.parametrize(
    ("setting", "complaint"),
    [
        (("--katas-timeout", "-1"), "--katas-timeout must be 0 (no limit) or a positive number of seconds"),
        (("-o", "katas_timeout=soon"), "katas_timeout (ini) must be a number of seconds, got 'soon'"),
    ],
    ids=["negative", "not a number"],
)
def test_a_bad_time_limit_is_a_usage_error(
    workspace: Workspace, setting: tuple[str, str], complaint: str
) -> None:
    result = workspace.run("--katas", OTHER.name, *setting)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert complaint in result.stderr.str()


def test_without_sigalrm_there_is_no_limit_and_an_explicit_one_is_warned_about(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delattr(signal, "setitimer")  # as on Windows
    workspace.solve(OTHER)
    result = workspace.run("--katas", OTHER.name, "--katas-timeout", LIMIT)
    assert result.ret == pytest.ExitCode.OK
    assert "--katas-timeout has no effect on this platform (it has no SIGALRM, e.g. Windows)" in flat(
        output_of(result)
    )
    quiet = workspace.run("--katas", OTHER.name)
    assert "no effect on this platform" not in output_of(quiet), "the default limit is not warned about"


def test_a_hub_model_name_or_a_web_request_fails_within_two_seconds_with_the_offline_message(
    workspace: Workspace,
) -> None:
    loader = CATALOGUE.kata("load_model_and_tokenizer")
    workspace.copy(loader, BROKEN / loader.name / "hub_model_name.py")
    workspace.copy(OTHER, BROKEN / OTHER.name / "reaches_the_network.py")
    workspace.solve(KATA)
    names = f"{loader.name},{OTHER.name},{KATA.name}"
    result = workspace.pytester.inline_run("--katas", names, "--katas-timeout", "60")
    calls = [r for r in result.getreports("pytest_runtest_logreport") if r.when == "call"]
    by_kata: dict[str, list[pytest.TestReport]] = {}
    for report in calls:
        by_kata.setdefault(Path(report.location[0]).stem.removeprefix("test_"), []).append(report)
    slowest = max(r.duration for r in by_kata[loader.name] + by_kata[OTHER.name])
    assert slowest < 2.0, f"a check took {slowest:.2f} s"
    hub = by_kata[loader.name][0]
    assert hub.failed
    text = flat(hub.longreprtext)
    (line,) = marked_lines(BROKEN / loader.name / "hub_model_name.py")
    assert f"It tried to reach the Hugging Face Hub (katas/{loader.relpath}, line {line})" in text
    assert "never a hard-coded Hub model name such as 'bert-base-uncased'" in text
    web = by_kata[OTHER.name][0]
    assert web.failed
    text = flat(web.longreprtext)
    (line,) = marked_lines(BROKEN / OTHER.name / "reaches_the_network.py")
    assert f"It tried to reach the network (katas/{OTHER.relpath}, line {line})" in text
    assert "pytest-tfkatas runs offline: looking up 'huggingface.co' was blocked" in text
    assert all(r.passed for r in by_kata[KATA.name])


def test_a_learner_who_edits_models_in_place_changes_no_other_katas_verdict(workspace: Workspace) -> None:
    vandal = CATALOGUE.kata("detect_gradient_explosion")
    validator = CATALOGUE.kata("validate_parameters")
    workspace.copy(vandal, BROKEN / vandal.name / "edits_the_model_in_place.py")
    workspace.solve(validator)
    # detect_gradient_explosion's checks run first: its models are poisoned, pruned and resized
    # before validate_parameters loads tiny_gpt2 and tiny_bert and expects them healthy.
    result = workspace.pytester.inline_run("--katas", f"{vandal.name},{validator.name}")
    reports = [r for r in result.getreports("pytest_runtest_logreport") if r.when == "call"]
    validated = [r for r in reports if validator.name in r.nodeid]
    assert reports[0].nodeid.startswith(f"debugging/test_{vandal.name}.py"), "the vandal runs first"
    assert validated and all(r.passed for r in validated), [r.nodeid for r in validated if r.failed]


def test_the_isolation_test_would_catch_models_shared_between_checks(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The test above can fail: with one model object per zoo model, the vandal breaks validation."""
    shared: dict[str, object] = {}
    real = zoo.TinyModel.load_model

    def one_copy_for_everyone(self: zoo.TinyModel, **kwargs: object) -> object:
        return shared.setdefault(self.name, real(self, **kwargs))

    monkeypatch.setattr(zoo.TinyModel, "load_model", one_copy_for_everyone)
    vandal = CATALOGUE.kata("detect_gradient_explosion")
    validator = CATALOGUE.kata("validate_parameters")
    workspace.copy(vandal, BROKEN / vandal.name / "edits_the_model_in_place.py")
    workspace.solve(validator)
    result = workspace.pytester.inline_run("--katas", f"{vandal.name},{validator.name}")
    reports = [r for r in result.getreports("pytest_runtest_logreport") if r.when == "call"]
    assert any(r.failed for r in reports if validator.name in r.nodeid)


def test_a_check_that_writes_into_the_zoo_fails_and_the_model_is_rebuilt(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A zoo of its own (copies of two models), so that other runs on this machine never see the damage.
    original = {name: zoo.path(name) for name in ("gpt2", "bert")}
    monkeypatch.setenv("TFKATAS_ZOO_DIR", str(tmp_path / "zoo"))
    root = zoo.cache_root()
    for name, folder in original.items():
        shutil.copytree(folder, root / name)
    before = {path.name: digest(path) for path in (root / "bert").iterdir()}
    validator = CATALOGUE.kata("validate_parameters")
    fixture = BROKEN / validator.name / "writes_into_the_zoo.py"
    workspace.copy(validator, fixture)
    workspace.solve(KATA)
    result = workspace.run("--katas", f"{validator.name},{KATA.name}")

    assert result.ret == pytest.ExitCode.TESTS_FAILED
    message = reported_failure(result, validator)
    assert "Your code wrote into the tiny model's own folder, zoo.path('bert') (" in message, message
    assert "it has been rebuilt" in message
    assert "Save into a folder of your own, e.g. the one the check passes" in message
    assert f"✓ {KATA.name} solved!" in result.stdout.str()
    # The bert checks fail, the gpt2-only ones pass: the damage was repaired before each next check.
    line = next(line for line in result.stdout.lines if line.startswith(f"✗ {validator.name}  "))
    failing, total = (int(n) for n in re.findall(r"(\d+) of (\d+) checks failing", line)[0])
    assert 0 < failing < total, line
    after = {path.name: digest(path) for path in (root / "bert").iterdir()}
    assert after == before, "the rebuilt model is the zoo's own, byte for byte"


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_long_text_keeps_its_head_and_tail_and_says_how_much_was_cut() -> None:
    lines = [f"line {n}: " + "=" * 40 for n in range(2_000)]
    text = "\n".join(lines)
    cut = trim(text)
    assert len(cut) <= MAX_SECTION + 100
    assert cut.startswith("line 0: ") and cut.endswith(lines[-1])
    shown = cut.splitlines()
    marker = next(line for line in shown if "characters cut" in line)
    dropped = int(re.fullmatch(r"\.\.\. (\d+) characters cut \.\.\.", marker).group(1))  # type: ignore[union-attr]
    kept = [line for line in shown if line != marker]
    assert len("\n".join(kept)) + dropped == len(text)
    assert all(line in lines for line in kept), "cut at line ends: no half lines"
    assert trim("short") == "short"


def failure_of(call) -> str:
    with pytest.raises(pytest.fail.Exception) as caught:
        call()
    return str(caught.value)


def test_sys_exit_in_a_called_function_fails_the_check_with_the_learners_line() -> None:
    def stable_log_softmax(logits, dim=-1):
        sys.exit(2)

    line = stable_log_softmax.__code__.co_firstlineno + 1
    kata = KataFunction(KATA.name, stable_log_softmax, Path(__file__), f"katas/{KATA.relpath}")
    message = failure_of(lambda: kata([1.0]))
    assert message == (
        "Called stable_log_softmax([1.0]).\n"
        f"It raised SystemExit(2) (katas/{KATA.relpath}, line {line}), from sys.exit() or exit(): "
        "that ends the whole program, pytest included.\n"
        "A function returns its result, and reports a problem by raising an exception such as ValueError."
    )
    assert "It raised SystemExit(2)" in failure_of(lambda: expect_raises(kata, TypeError, [1.0], because="x"))


def test_expect_raises_words_an_offline_error_as_such() -> None:
    def load(path):
        raise OSError("We couldn't connect to 'https://huggingface.co' to load the files")

    kata = KataFunction("load", load, Path(__file__), "katas/model_loading/load.py")
    message = failure_of(lambda: expect_raises(kata, ValueError, "bert-base-uncased", because="x"))
    assert "It tried to reach the Hugging Face Hub" in message
    assert "never a hard-coded Hub model name such as 'bert-base-uncased'" in message
    assert (
        pitfall_tip(OSError("We couldn't connect to 'https://huggingface.co' to load the files"))
        == OFFLINE_TIP
    )


def fake_build(folder: Path, *files: str) -> None:
    """A zoo build as zoo.py makes one: the files first, the marker last."""
    folder.mkdir(parents=True)
    for name in files:
        (folder / name).write_text(f"{name} as built", encoding="utf-8")
    time.sleep(0.02)  # file times have a granularity of a few milliseconds on some file systems
    (folder / zoo.MARKER).write_text("{}", encoding="utf-8")
    time.sleep(0.02)


def test_the_zoo_watch_tells_writes_from_builds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("TFKATAS_ZOO_DIR", str(tmp_path))
    root = zoo.cache_root()
    fake_build(root / "old", "config.json", "model.safetensors")
    watch = _ZooWatch()
    watch.start()
    assert watch.check() == {}, "nothing changed"

    fake_build(root / "built-in-a-set-up", "config.json")
    watch.add_new()
    fake_build(root / "built-in-a-check", "config.json")
    assert watch.check() == {}, "new builds are the zoo's own"

    (root / "old" / "model.safetensors").write_text("saved by the learner", encoding="utf-8")
    (root / "built-in-a-set-up" / "extra.bin").write_text("a checkpoint", encoding="utf-8")
    assert watch.check() == {"old": ["model.safetensors"], "built-in-a-set-up": ["extra.bin"]}
    assert not (root / "old").exists(), "a damaged folder is removed, for the zoo to build again"

    fake_build(root / "variant-built-and-written-in-one-check", "config.json", "tokenizer.json")
    (root / "variant-built-and-written-in-one-check" / "tokenizer.json").write_text("x", encoding="utf-8")
    (root / "built-in-a-check" / zoo.MARKER).unlink()
    assert watch.check() == {
        "variant-built-and-written-in-one-check": ["tokenizer.json"],
        "built-in-a-check": ["config.json", zoo.MARKER],
    }


# -- the time limit and library imports ---------------------------------------------------------

#: A library slower to import than the limit (LIMIT = 2 s): its import time is not the learner's.
SLOW_LIBRARY = """\
import time

time.sleep(3.5)
READY = True
"""

CORRECT = KATA.reference_path.read_text(encoding="utf-8")
DEFINITION = "def stable_log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:\n"


FUTURE = "from __future__ import annotations\n"


def at_the_top(lines: str) -> str:
    """The reference, with ``lines`` at the top level, before its own imports."""
    assert FUTURE in CORRECT
    return CORRECT.replace(FUTURE, FUTURE + lines)


def first_in_function(lines: str) -> str:
    """The reference, with ``lines`` run first in its function."""
    assert DEFINITION in CORRECT
    return CORRECT.replace(DEFINITION, DEFINITION + lines)


@pytest.fixture
def library(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of libraries outside the learner's katas folder, on sys.path for this test only."""
    folder = pytester.path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    names = ("tfkatas_slowlib", "tfkatas_halflib", "tfkatas_halflib.part")
    yield folder
    for name in names:
        sys.modules.pop(name, None)


def test_a_library_slower_to_import_than_the_limit_does_not_stop_a_correct_kata(
    workspace: Workspace, library: Path
) -> None:
    (library / "tfkatas_slowlib.py").write_text(SLOW_LIBRARY, encoding="utf-8")
    # Every check makes sure the library is whole and has its own loader back, not the guard's.
    whole = (
        "    import tfkatas_slowlib\n"
        "    assert tfkatas_slowlib.READY\n"
        "    assert type(tfkatas_slowlib.__spec__.loader).__name__ == 'SourceFileLoader'\n"
    )
    (workspace.katas / KATA.relpath).write_text(
        at_the_top("import tfkatas_slowlib\n").replace(DEFINITION, DEFINITION + whole), encoding="utf-8"
    )
    workspace.solve(OTHER)
    started = time.monotonic()
    result = workspace.run("--katas", f"{KATA.name},{OTHER.name}", "--katas-timeout", LIMIT)
    assert result.ret == pytest.ExitCode.OK, reported_failure(result, KATA)
    assert f"✓ {KATA.name} solved!" in result.stdout.str()
    assert time.monotonic() - started >= 3.5, "the library's import ran, longer than the limit"


def test_a_library_imported_inside_the_function_does_not_count_against_the_limit(
    workspace: Workspace, library: Path
) -> None:
    (library / "tfkatas_slowlib.py").write_text(SLOW_LIBRARY, encoding="utf-8")
    inside = first_in_function("    import tfkatas_slowlib\n")
    (workspace.katas / KATA.relpath).write_text(inside, encoding="utf-8")
    result = workspace.run("--katas", KATA.name, "--katas-timeout", LIMIT)
    assert result.ret == pytest.ExitCode.OK, reported_failure(result, KATA)


@pytest.mark.parametrize("where", ["function", "top level"])
def test_an_endless_loop_after_a_slow_library_import_is_blamed_on_its_own_line(
    workspace: Workspace, library: Path, where: str
) -> None:
    (library / "tfkatas_slowlib.py").write_text(SLOW_LIBRARY, encoding="utf-8")
    if where == "function":
        text = (
            "import tfkatas_slowlib\n\n\n"
            "def stable_log_softmax(logits, dim=-1):\n"
            "    while True:  # <- here\n"
            "        pass  # <- here\n"
        )
    else:
        text = at_the_top("import tfkatas_slowlib\n\nwhile True:  # <- here\n    pass  # <- here\n")
    learner_file = workspace.katas / KATA.relpath
    learner_file.write_text(text, encoding="utf-8")
    workspace.solve(OTHER)
    result = workspace.run("--katas", f"{KATA.name},{OTHER.name}", "--katas-timeout", LIMIT)
    message = reported_failure(result, KATA)
    assert f"It was stopped after {LIMIT} s, the time limit of a check" in message
    assert_blames_the_line(message, learner_file)
    assert "line 1:" not in message, "not the import's line"
    assert f"✓ {OTHER.name} solved!" in result.stdout.str(), "the other kata keeps its verdict"


def test_an_exception_in_the_middle_of_a_library_import_leaves_the_library_importable_again(
    workspace: Workspace, library: Path
) -> None:
    package = library / "tfkatas_halflib"
    package.mkdir()
    (package / "part.py").write_text("WHOLE = True\n", encoding="utf-8")
    (package / "__init__.py").write_text(
        "from tfkatas_halflib import part\n\nraise RuntimeError('half-way')\n", encoding="utf-8"
    )
    # Each check imports it again: it must fail the same way every time (a half module left in
    # sys.modules would give an ImportError instead), and the part imported before stays whole.
    attempt = (
        "    try:\n        import tfkatas_halflib\n    except RuntimeError:\n        pass\n"
        "    from tfkatas_halflib.part import WHOLE\n    assert WHOLE\n"
    )
    (workspace.katas / KATA.relpath).write_text(first_in_function(attempt), encoding="utf-8")
    result = workspace.run("--katas", KATA.name, "--katas-timeout", LIMIT)
    assert result.ret == pytest.ExitCode.OK, reported_failure(result, KATA)


def test_a_stop_due_inside_the_import_machinery_is_told_apart_from_the_learners_code(
    pytester: pytest.Pytester, library: Path
) -> None:
    from pytest_tfkatas.timelimit import _in_import_machinery

    (library / "tfkatas_slowlib.py").write_text(
        "import sys\n\nFRAME = sys._getframe()\nREADY = True\n", encoding="utf-8"
    )
    import tfkatas_slowlib

    assert _in_import_machinery(tfkatas_slowlib.FRAME, katas_dir=None)
    assert not _in_import_machinery(sys._getframe(), katas_dir=None)
    # The learner's own module, imported by the import system: the learner's to be stopped in.
    assert not _in_import_machinery(tfkatas_slowlib.FRAME, katas_dir=str(library) + "/")
