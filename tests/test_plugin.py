"""The plugin as a learner meets it, through pytester: selection, report, hints, reveal, progress."""

from __future__ import annotations

import json
import shutil
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue, progress

CATALOGUE = catalogue.load()
REPO = Path(__file__).resolve().parent.parent
KATA = CATALOGUE.kata("load_model_and_tokenizer")
#: How many checks KATA has (the tests that run it count its outcomes).
KATA_CHECKS = 8
#: how many katas the model_loading topic holds
ML = len(CATALOGUE.in_topic("model_loading"))
OTHER = CATALOGUE.kata("generate_text")
FORGETS_THE_PAD_TOKEN = REPO / "tests/decoys/model_loading/load_model_and_tokenizer/forgets_the_pad_token.py"


class Workspace:
    """A learner's folder: pristine stubs in katas/, run with pytest in this process."""

    def __init__(self, pytester: pytest.Pytester) -> None:
        self.pytester = pytester
        self.katas = pytester.path / "katas"
        for kata in CATALOGUE.katas:
            target = self.katas / kata.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / "katas" / kata.relpath, target)

    def solve(self, kata: catalogue.Kata) -> None:
        shutil.copyfile(kata.reference_path, self.katas / kata.relpath)

    def write(self, kata: catalogue.Kata, text: str) -> None:
        (self.katas / kata.relpath).write_text(text, encoding="utf-8")

    def run(self, *args: str) -> pytest.RunResult:
        return self.pytester.runpytest(*args)

    @property
    def record_file(self) -> Path:
        return self.pytester.path / ".pytest_cache" / "v" / progress.cache_key(self.katas, self.pytester.path)

    def record(self) -> dict:
        return json.loads(self.record_file.read_text(encoding="utf-8"))


def flat(result: pytest.RunResult) -> str:
    """The output with line wrapping undone, for phrases that a narrow terminal may wrap."""
    return " ".join(result.stdout.str().split())


@pytest.fixture
def workspace(pytester: pytest.Pytester) -> Workspace:
    return Workspace(pytester)


def test_the_plugin_is_registered_through_a_pytest11_entry_point() -> None:
    found = {ep.name: ep.value for ep in entry_points(group="pytest11")}
    assert found.get("tfkatas") == "pytest_tfkatas.plugin"


def test_without_katas_the_plugin_stays_out_of_the_way(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_nothing_heavy_was_imported():
            assert "torch" not in sys.modules
            assert "transformers" not in sys.modules
            assert "pytest_tfkatas.session" not in sys.modules
        """
    )
    result = pytester.runpytest_subprocess()
    result.assert_outcomes(passed=1)
    assert "─ tfkatas ─" not in result.stdout.str(), "no kata report"


def test_katas_dir_without_katas_is_a_usage_error(workspace: Workspace) -> None:
    result = workspace.run("--katas-dir=katas")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--katas-dir needs --katas*"])


def test_an_unknown_name_is_a_usage_error_that_lists_the_valid_names(workspace: Workspace) -> None:
    result = workspace.run("--katas", "model_loading,genrate_text")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        [
            "*no topic or kata called 'genrate_text'. Did you mean: 'genrate_text' -> 'generate_text'? "
            "Valid names: all, a topic, or a kata:*",
            "*model_loading: generate_with_pipeline, classify_texts, load_model_and_tokenizer*",
        ]
    )


def test_a_missing_katas_folder_is_a_usage_error(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--katas", "generate_text")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*No katas folder at*", "*pytest --katas-init*", "*--katas-dir*"])


def test_katas_selects_the_checks_of_the_named_topics_and_katas(workspace: Workspace) -> None:
    result = workspace.run("--katas", "zero_shot_classify,generate_text", "--collect-only", "-q")
    collected = [line for line in result.stdout.lines if "::" in line]
    files = {line.split("::")[0].rsplit("/", 1)[-1] for line in collected}
    assert files == {"test_generate_text.py", "test_zero_shot_classify.py"}
    whole_topic = workspace.run("--katas", "model_loading", "--collect-only", "-q")
    assert len([line for line in whole_topic.stdout.lines if "::" in line]) > len(collected)


def test_untouched_stubs_are_listed_as_not_started_without_using_hints(workspace: Workspace) -> None:
    result = workspace.run("--katas", "model_loading")
    assert f"○ model_loading {ML} katas not started katas/model_loading/" in flat(result)
    assert len([line for line in result.stdout.lines if "not started" in line]) == 1, "one line a topic"
    alone = workspace.run("--katas", KATA.name)
    assert f"○ {KATA.name} not started katas/{KATA.relpath}" in flat(alone)
    result.stdout.fnmatch_lines([f"model_loading*0/{ML}*", "Overall: 0/*katas solved*"])
    assert "Hint" not in result.stdout.str()
    assert not workspace.record_file.exists(), "a stub is not an attempt"


def test_a_failing_kata_shows_its_file_its_first_failure_and_the_first_hint(workspace: Workspace) -> None:
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    result = workspace.run("--katas", KATA.name)
    result.assert_outcomes(failed=1, passed=KATA_CHECKS - 1)
    result.stdout.fnmatch_lines(
        [
            "*tfkatas*",
            f"✗ {KATA.name}  1 of {KATA_CHECKS} checks failing*",
            f"  edit katas/{KATA.relpath}",
            "  first failing check: test_the_tokenizer_pads_with_its_eos_token",
            f"    Called {KATA.name}(zoo.path('gpt2')).",
            "    Got:      pad_token=None",
            "    Expected: pad_token='<|endoftext|>'*",
            "    Tip: GPT-2's tokenizer has no pad token*",
            f"  Hint 1/{len(KATA.hints)}: {KATA.hints[0][:40]}*",
        ]
    )
    result.stdout.fnmatch_lines([f"model_loading*0/{ML}*", "Overall: 0/*katas solved*"])


def _rung(result: pytest.RunResult) -> str | None:
    return next((line.split(":")[0].strip() for line in result.stdout.lines if "Hint " in line), None)


def test_each_new_failing_attempt_shows_the_next_hint_and_the_last_one_stays(workspace: Workspace) -> None:
    wrong = FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8")
    rungs = []
    for attempt in range(len(KATA.hints) + 1):
        workspace.write(KATA, wrong + f"\n# attempt {attempt}\n")  # a changed file: a new attempt
        rungs.append(_rung(workspace.run("--katas", KATA.name)))
    total = len(KATA.hints)
    assert rungs == [f"Hint {n}/{total}" for n in range(1, total + 1)] + [f"Hint {total}/{total}"]
    assert workspace.record()["katas"][KATA.name]["hints_shown"] == total


def test_a_rerun_of_an_unchanged_file_climbs_no_hint_and_a_syntax_error_is_shown_as_itself(
    workspace: Workspace,
) -> None:
    wrong = FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8")
    workspace.write(KATA, wrong)
    assert _rung(workspace.run("--katas", KATA.name)) == f"Hint 1/{len(KATA.hints)}"
    assert _rung(workspace.run("--katas", KATA.name)) == f"Hint 1/{len(KATA.hints)}", "unchanged: same rung"
    workspace.write(KATA, wrong + "\ndef broken(:\n")
    broken = workspace.run("--katas", KATA.name)
    assert "SyntaxError" in broken.stdout.str() or "invalid syntax" in broken.stdout.str()
    assert _rung(broken) == f"Hint 1/{len(KATA.hints)}", "a file that cannot be imported climbs nothing"
    workspace.write(KATA, wrong + "\n# fixed the syntax, same mistake\n")
    assert _rung(workspace.run("--katas", KATA.name)) == f"Hint 2/{len(KATA.hints)}"
    assert workspace.record()["katas"][KATA.name]["hints_shown"] == 2


def test_a_first_pass_reveals_the_reference_and_later_passes_do_not(workspace: Workspace) -> None:
    workspace.solve(KATA)
    first = workspace.run("--katas", KATA.name)
    first.assert_outcomes(passed=KATA_CHECKS)
    first.stdout.fnmatch_lines([f"✓ {KATA.name} solved!", "*def load_model_and_tokenizer(*"])
    reference = str(KATA.reference_path)
    assert f"Compare your code with the reference solution: {reference}" in flat(first)
    again = workspace.run("--katas", KATA.name)
    again.assert_outcomes(passed=KATA_CHECKS)
    assert "solved!" not in again.stdout.str()
    assert "def load_model_and_tokenizer" not in again.stdout.str()
    again.stdout.fnmatch_lines([f"model_loading*1/{ML}*"])


def test_katas_solutions_shows_every_solved_reference_again(workspace: Workspace) -> None:
    workspace.solve(KATA)
    workspace.run("--katas", KATA.name)
    result = workspace.run("--katas", OTHER.name, "--katas-solutions")
    output = result.stdout.str()
    assert f"{KATA.name} (solved before)" in output
    assert "def load_model_and_tokenizer" in output
    assert "def generate_text" not in output, "generate_text is not solved"


def test_katas_solutions_alone_shows_the_solved_references_and_runs_nothing(workspace: Workspace) -> None:
    nothing = workspace.run("--katas-solutions")
    assert nothing.ret == pytest.ExitCode.OK
    assert "No kata solved yet in this workspace" in flat(nothing)
    workspace.solve(KATA)
    workspace.run("--katas", KATA.name)
    result = workspace.run("--katas-solutions")
    assert result.ret == pytest.ExitCode.OK
    output = result.stdout.str()
    assert f"{KATA.name} (solved)" in output and "def load_model_and_tokenizer" in output
    assert "def generate_text" not in output, "generate_text is not solved"
    assert "passed" not in output and "failed" not in output and "no tests ran" in output
    elsewhere = workspace.run("--katas-solutions", f"--katas-dir={workspace.katas}")
    assert elsewhere.ret == pytest.ExitCode.OK and "def load_model_and_tokenizer" in elsewhere.stdout.str()


def test_quiet_runs_name_the_reference_without_printing_it(workspace: Workspace) -> None:
    workspace.solve(KATA)
    result = workspace.run("--katas", KATA.name, "-q")
    result.stdout.fnmatch_lines([f"✓ {KATA.name} solved!", "*reference solution*"])
    assert "def load_model_and_tokenizer" not in result.stdout.str()


def test_progress_persists_across_runs_of_different_katas(workspace: Workspace) -> None:
    workspace.solve(KATA)
    workspace.solve(OTHER)
    workspace.run("--katas", KATA.name).stdout.fnmatch_lines([f"model_loading*1/{ML}*"])
    result = workspace.run("--katas", OTHER.name)
    result.stdout.fnmatch_lines(
        [
            f"model_loading*2/{ML}*",
            f"Overall: 2/{len(CATALOGUE.katas)} katas solved*",
        ]
    )
    record = workspace.record()
    assert record["katas"][KATA.name]["first_solved"]
    assert record["katas"][OTHER.name]["attempts"] == 1


def test_a_solved_kata_that_fails_again_is_not_counted_as_solved(workspace: Workspace) -> None:
    workspace.solve(KATA)
    workspace.run("--katas", KATA.name)
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    result = workspace.run("--katas", KATA.name)
    result.stdout.fnmatch_lines([f"✗ {KATA.name}*", f"model_loading*0/{ML}*"])
    assert workspace.record()["katas"][KATA.name]["first_solved"], "the first solve is remembered"


def test_deselected_checks_keep_a_kata_from_counting_as_solved(workspace: Workspace) -> None:
    workspace.solve(KATA)
    result = workspace.run("--katas", KATA.name, "-k", "dtype_sets_the_parameter_type")
    assert f"- {KATA.name}: 1 of {KATA_CHECKS} checks passed and the rest did not run" in flat(result)
    assert "solved!" not in result.stdout.str()
    assert not workspace.record_file.exists(), "nothing was decided, so nothing was written"


def test_a_corrupt_progress_record_is_discarded_with_one_warning(workspace: Workspace) -> None:
    workspace.solve(KATA)
    workspace.run("--katas", KATA.name)
    workspace.record_file.write_text("{not json", encoding="utf-8")
    result = workspace.run("--katas", KATA.name)
    warnings = [line for line in result.stdout.lines if line.startswith("tfkatas: discarded")]
    assert warnings == ["tfkatas: discarded a progress record that is not valid JSON"]
    result.assert_outcomes(passed=KATA_CHECKS)
    assert workspace.record()["katas"][KATA.name]["first_solved"], "a fresh record was written"


def test_a_progress_record_of_another_format_is_discarded_with_one_warning(workspace: Workspace) -> None:
    workspace.record_file.parent.mkdir(parents=True)
    workspace.record_file.write_text(json.dumps({"format": 99, "katas": {}}), encoding="utf-8")
    workspace.solve(KATA)
    result = workspace.run("--katas", KATA.name)
    result.stdout.fnmatch_lines(["tfkatas: discarded a progress record of an unknown format*"])
    assert workspace.record()["format"] == progress.FORMAT


def test_a_corrupt_kata_entry_is_discarded_and_the_others_kept(workspace: Workspace) -> None:
    workspace.solve(KATA)
    workspace.run("--katas", KATA.name)
    record = workspace.record()
    record["katas"][OTHER.name] = {"attempts": "many"}
    workspace.record_file.write_text(json.dumps(record), encoding="utf-8")
    result = workspace.run("--katas", OTHER.name)
    result.stdout.fnmatch_lines(
        [f"tfkatas: discarded the corrupt progress of {OTHER.name}*", f"model_loading*1/{ML}*"]
    )


def test_progress_is_kept_apart_for_each_katas_folder(workspace: Workspace) -> None:
    other = workspace.pytester.path / "references"
    shutil.copytree(REPO / "solutions", other)
    workspace.run("--katas", KATA.name, f"--katas-dir={other}").stdout.fnmatch_lines(["*solved!*"])
    result = workspace.run("--katas", KATA.name)
    result.stdout.fnmatch_lines([f"model_loading*0/{ML}*"])


def test_files_a_kata_writes_to_the_current_folder_do_not_land_in_the_learners_project(
    workspace: Workspace,
) -> None:
    reference = KATA.reference_path.read_text(encoding="utf-8")
    workspace.write(
        KATA,
        reference
        + "\n\n_solve = load_model_and_tokenizer\n\n\n"
        + "def load_model_and_tokenizer(*args, **kwargs):\n"
        + "    open('scratch.txt', 'w').close()\n"
        + "    return _solve(*args, **kwargs)\n",
    )
    result = workspace.run("--katas", KATA.name)
    result.assert_outcomes(passed=KATA_CHECKS)
    assert not list(workspace.pytester.path.rglob("scratch.txt"))
    result.stdout.fnmatch_lines(["*Compare your code with the reference solution*"])


def test_a_missing_kata_file_fails_its_checks_and_says_which_file(workspace: Workspace) -> None:
    (workspace.katas / KATA.relpath).unlink()
    result = workspace.run("--katas", KATA.name)
    result.assert_outcomes(failed=KATA_CHECKS)
    result.stdout.fnmatch_lines([f"*There is no file katas/{KATA.relpath}*"])


def test_a_syntax_error_fails_the_kata_with_the_file_and_line(workspace: Workspace) -> None:
    workspace.write(KATA, "def load_model_and_tokenizer(path):\n    return (\n")
    result = workspace.run("--katas", KATA.name)
    result.assert_outcomes(failed=KATA_CHECKS)
    result.stdout.fnmatch_lines([f"*Importing katas/{KATA.relpath} failed:*", "*line 2*", "*SyntaxError*"])


def test_a_misnamed_function_is_reported_with_the_names_found(workspace: Workspace) -> None:
    workspace.write(KATA, "def load_model(path):\n    return None\n")
    result = workspace.run("--katas", KATA.name)
    assert f"defines no function {KATA.name}() (functions found: load_model)" in flat(result)


def test_a_hub_model_name_fails_at_once_with_the_offline_message(workspace: Workspace) -> None:
    workspace.write(
        KATA,
        "from transformers import AutoModelForCausalLM, AutoTokenizer\n\n"
        "def load_model_and_tokenizer(model_name_or_path, dtype=None):\n"
        "    return AutoModelForCausalLM.from_pretrained('openai-community/gpt2'), "
        "AutoTokenizer.from_pretrained('openai-community/gpt2')\n",
    )
    result = workspace.run("--katas", KATA.name)
    result.stdout.fnmatch_lines(
        ["*It tried to reach the Hugging Face Hub*", "*Katas run offline, on tiny local models*"]
    )


@pytest.mark.parametrize("solved", [False, True], ids=["the stub", "a correct solution"])
def test_a_kata_whose_extra_is_missing_is_not_passed_the_run_says_how_to_install_it_and_fails(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch, solved: bool
) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "matplotlib" else real(name, *a)
    )
    kata = CATALOGUE.kata("plot_output_probs")
    if solved:
        workspace.solve(kata)
    result = workspace.run("--katas", kata.name)
    assert result.parseoutcomes().get("skipped", 0) > 0
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    assert (
        "✗ plot_output_probs could not be checked, so it is not passed: needs matplotlib: "
        'pip install "pytest-tfkatas[viz]"'
    ) in flat(result)
    assert "solved" not in flat(result).split("tfkatas")[-1].split("topic")[0]


@pytest.mark.parametrize(("colour", "escapes"), [("yes", True), ("no", False)])
def test_the_report_follows_pytests_colour_option(workspace: Workspace, colour: str, escapes: bool) -> None:
    result = workspace.run("--katas", KATA.name, f"--color={colour}")
    report = result.stdout.str().split("tfkatas")[-1]
    assert ("\x1b[" in report) is escapes


# -- focused output -------------------------------------------------------------------------------


def test_a_failing_run_shows_the_report_last_without_pytests_failure_sections(workspace: Workspace) -> None:
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    result = workspace.run("--katas", KATA.name)
    output = result.stdout.str()
    assert "FAILURES" not in output
    assert "short test summary info" not in output
    assert "test_load_model_and_tokenizer.py" not in output, "no file name and no progress letters"
    lines = output.rstrip("\n").splitlines()
    assert len(lines) < 40, f"one failing kata fits on one screen, not {len(lines)} lines"
    assert lines[-2].startswith("Overall: ") and " failed" in lines[-1]
    assert "Expected: pad_token='<|endoftext|>'" in flat(result)


@pytest.mark.parametrize(
    ("option", "shows"),
    [("-v", "FAILURES"), ("--tb=short", "FAILURES"), ("-rf", "short test summary info")],
)
def test_pytests_own_failure_output_comes_back_when_asked_for(
    workspace: Workspace, option: str, shows: str
) -> None:
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    result = workspace.run("--katas", KATA.name, option)
    assert shows in result.stdout.str()


def _pytest_on(stdout: str, workspace: Workspace, *args: str) -> str:
    """pytest --katas ... in a subprocess whose standard output is a terminal ("tty") or a pipe."""
    import os
    import subprocess
    import sys

    command = [sys.executable, "-m", "pytest", *args]
    environment = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    environment.pop("CI", None)
    if stdout == "pipe":
        done = subprocess.run(
            command, cwd=workspace.pytester.path, env=environment, capture_output=True, timeout=300
        )
        return done.stdout.decode(errors="replace")
    import pty

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        command,
        cwd=workspace.pytester.path,
        env=environment,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the terminal closed: the process ended
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=300)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")


@pytest.mark.parametrize("stdout", ["tty", "pipe"])
def test_a_run_of_many_checks_shows_a_progress_bar_on_a_terminal_only(
    workspace: Workspace, stdout: str
) -> None:
    fast = CATALOGUE.kata("stable_log_softmax")
    workspace.solve(fast)
    output = _pytest_on(stdout, workspace, "--katas", fast.name, "-p", "no:cacheprovider")
    assert f"✓ {fast.name} solved!" in output
    assert (f"checking {fast.name}" in output) == (stdout == "tty"), output[-2000:]


def test_a_run_on_the_checkouts_own_stubs_says_they_are_pristine_and_where_to_practise(
    workspace: Workspace,
) -> None:
    result = workspace.run("--katas", "stable_log_softmax", f"--katas-dir={REPO / 'katas'}")
    assert "these are the pristine stubs of the pytest-tfkatas checkout" in flat(result)
    assert "pytest --katas-init" in flat(result)
    elsewhere = workspace.run("--katas", "stable_log_softmax")
    assert "pristine stubs of the pytest-tfkatas checkout" not in flat(elsewhere)


def test_pytests_short_summary_names_a_failing_check_by_its_kata_not_by_a_path(
    workspace: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    below = workspace.pytester.path / "notes"
    below.mkdir()
    monkeypatch.chdir(below)  # run from another folder, as an instructor grading a class would
    result = workspace.pytester.runpytest(
        "--katas", KATA.name, "-rf", f"--katas-dir={workspace.katas}", f"--rootdir={workspace.pytester.path}"
    )
    failed = [line for line in result.stdout.lines if line.startswith("FAILED ")]
    assert failed, result.stdout.str()[-2000:]
    assert all(line.startswith(f"FAILED {KATA.name}::test_") for line in failed), failed
    assert not any(".." in line.split(" - ")[0] for line in failed), failed


def test_library_noise_stays_out_of_a_failing_runs_report(workspace: Workspace) -> None:
    """datasets' "Map: ...%|" bars and transformers' loading reports go to the captured output of
    the check, which the report leaves out: what the learner reads is about their code."""
    kata = CATALOGUE.kata("preprocess_dataset")
    workspace.write(
        kata, (REPO / "tests" / "decoys" / kata.topic / kata.name / "keeps_the_text_column.py").read_text()
    )
    result = workspace.run("--katas", f"{kata.name},{KATA.name}")
    output = result.stdout.str() + result.stderr.str()
    assert f"✗ {kata.name}" in output
    assert "Map:" not in output and "Loading weights" not in output and "%|" not in output, output[-3000:]
