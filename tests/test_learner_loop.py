"""The learner's loop around the checks: list, reset, workspace, diff reveal, levels, interview mode
and the reports for instructors — through pytester, as a learner would type them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

import pytest

from pytest_tfkatas import progress
from tests.test_plugin import CATALOGUE, FORGETS_THE_PAD_TOKEN, KATA, KATA_CHECKS, REPO, Workspace, flat

#: A kata whose checks take milliseconds.
FAST = CATALOGUE.kata("stable_log_softmax")


@pytest.fixture
def workspace(pytester: pytest.Pytester) -> Workspace:
    return Workspace(pytester)


def _fail_once(workspace: Workspace) -> None:
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    workspace.run("--katas", KATA.name)


def _rows(result: pytest.RunResult) -> dict[str, list[str]]:
    """The --katas-list table: kata name -> the row's other cells."""
    names = {kata.name for kata in CATALOGUE.katas}
    return {
        words[0]: words[1:] for line in result.stdout.lines if (words := line.split()) and words[0] in names
    }


# -- --katas-list ------------------------------------------------------------------------------


def test_katas_list_prints_every_kata_with_level_question_and_status_and_runs_nothing(
    workspace: Workspace,
) -> None:
    result = workspace.run("--katas-list")
    assert result.ret == 0
    rows = _rows(result)
    assert list(rows) == [kata.name for kata in CATALOGUE.katas]
    assert rows[KATA.name] == [KATA.level, f"#{KATA.question_label}", "new", "-"]
    result.stdout.fnmatch_lines(["topic · kata*level*question*status*hints", "model_loading"])
    result.stdout.fnmatch_lines(
        [f"{len(CATALOGUE.katas)} katas: 0 solved, 0 attempted, {len(CATALOGUE.katas)} new"]
    )
    assert "passed" not in result.stdout.str() and "failed" not in result.stdout.str()
    assert "tfkatas ─" not in result.stdout.str(), "no kata report: nothing ran"


def test_katas_list_shows_solved_attempted_and_the_hints_used(workspace: Workspace) -> None:
    _fail_once(workspace)
    workspace.solve(FAST)
    workspace.run("--katas", FAST.name)
    rows = _rows(workspace.run("--katas-list", "model_loading,debugging"))
    assert rows[KATA.name][2:] == ["attempted", f"1/{len(KATA.hints)}"]
    assert rows[FAST.name][2:] == ["solved", "-"]
    assert rows["generate_text"][2:] == ["new", "-"]
    assert {CATALOGUE.kata(name).topic for name in rows} == {"model_loading", "debugging"}


def test_katas_list_takes_a_level_and_rejects_unknown_names(workspace: Workspace) -> None:
    rows = _rows(workspace.run("--katas-list", "model_loading", "--katas-level", "advanced"))
    assert set(rows) == {k.name for k in CATALOGUE.in_topic("model_loading") if k.level == "advanced"}
    result = workspace.run("--katas-list", "modle_loading")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--katas-list: no topic or kata called 'modle_loading'*"])
    assert "Did you mean: 'modle_loading' -> 'model_loading'?" in result.stderr.str()
    typo = workspace.run("--katas", "generate_txt,stable_log_softmax")
    assert typo.ret == pytest.ExitCode.USAGE_ERROR
    assert "Did you mean: 'generate_txt' -> 'generate_text'?" in typo.stderr.str()
    nothing_close = workspace.run("--katas", "qqqq")
    assert "Did you mean" not in nothing_close.stderr.str()


def test_katas_list_outside_a_workspace_says_how_to_create_one(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--katas-list", "debugging")
    assert result.ret == 0
    assert "Create a workspace of kata stubs with: pytest --katas-init" in flat(result)


# -- --katas-reset -----------------------------------------------------------------------------


def test_katas_reset_restores_the_stub_keeps_a_backup_and_clears_progress(workspace: Workspace) -> None:
    _fail_once(workspace)
    mine = (workspace.katas / KATA.relpath).read_text(encoding="utf-8")
    assert KATA.name in workspace.record()["katas"]
    result = workspace.run("--katas-reset", KATA.name)
    assert result.ret == 0
    stub = (REPO / "katas" / KATA.relpath).read_text(encoding="utf-8")
    assert (workspace.katas / KATA.relpath).read_text(encoding="utf-8") == stub
    backup = workspace.katas / KATA.relpath.parent / f"{KATA.name}.py.bak"
    assert backup.read_text(encoding="utf-8") == mine
    assert KATA.name not in workspace.record()["katas"]
    assert f"your version is kept in katas/{KATA.relpath}.bak" in flat(result)
    assert "passed" not in result.stdout.str()


def test_a_second_reset_never_replaces_an_earlier_backup(workspace: Workspace) -> None:
    folder = workspace.katas / KATA.relpath.parent
    for attempt in ("first", "second"):
        workspace.write(KATA, f"# my {attempt} attempt\n")
        workspace.run("--katas-reset", KATA.name)
    assert (folder / f"{KATA.name}.py.bak").read_text(encoding="utf-8") == "# my first attempt\n"
    assert (folder / f"{KATA.name}.py.bak2").read_text(encoding="utf-8") == "# my second attempt\n"


def test_resetting_a_topic_touches_only_its_changed_katas(workspace: Workspace) -> None:
    workspace.solve(FAST)
    workspace.solve(KATA)
    result = workspace.run("--katas-reset", "debugging")
    assert f"{FAST.name}: katas/{FAST.relpath} is the pristine stub again" in flat(result)
    assert "validate_parameters: already pristine" in flat(result)
    assert (workspace.katas / KATA.relpath).read_text() == KATA.reference_path.read_text(), "not in the topic"
    assert not list(workspace.katas.rglob("*.bak*"))[1:], "one backup: the one changed kata of the topic"


def test_reset_without_a_workspace_is_a_usage_error_that_says_how_to_make_one(
    pytester: pytest.Pytester,
) -> None:
    result = pytester.runpytest("--katas-reset", KATA.name)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*No katas folder at*", "*pytest --katas-init*"])


# -- --katas-init ------------------------------------------------------------------------------


def test_katas_init_creates_a_workspace_of_pristine_stubs(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--katas-init", "course")
    assert result.ret == 0
    course = pytester.path / "course"
    for kata in CATALOGUE.katas:
        written = (course / "katas" / kata.relpath).read_text(encoding="utf-8")
        assert written == (REPO / "katas" / kata.relpath).read_text(encoding="utf-8")
    assert (course / "pytest.ini").is_file()
    result.stdout.fnmatch_lines(
        [
            f"*Workspace course: wrote {len(CATALOGUE.katas)} kata stubs in katas/, pytest.ini",
            "Next: cd course*",
        ]
    )


def test_katas_init_never_overwrites_a_file(pytester: pytest.Pytester) -> None:
    mine = pytester.path / "katas" / KATA.relpath
    mine.parent.mkdir(parents=True)
    mine.write_text("# my work\n", encoding="utf-8")
    (pytester.path / "pytest.ini").write_text("[pytest]\naddopts = -q\n", encoding="utf-8")
    result = pytester.runpytest("--katas-init")
    assert mine.read_text(encoding="utf-8") == "# my work\n"
    assert (pytester.path / "pytest.ini").read_text(encoding="utf-8") == "[pytest]\naddopts = -q\n"
    assert f"kept 1 files that were there already, untouched: katas/{KATA.relpath}" in flat(result)


def test_running_katas_outside_a_workspace_says_how_to_create_one(pytester: pytest.Pytester) -> None:
    result = pytester.runpytest("--katas", FAST.name)
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(
        ["*No katas folder at*not a pytest-tfkatas workspace*", "*pytest --katas-init*"]
    )


# -- reveal as a diff --------------------------------------------------------------------------


def test_a_first_pass_shows_the_learners_code_against_the_reference_as_a_diff(workspace: Workspace) -> None:
    alternative = (REPO / "tests" / "alternatives" / FAST.topic / f"{FAST.name}.py").read_text(
        encoding="utf-8"
    )
    workspace.write(FAST, alternative)
    result = workspace.run("--katas", FAST.name)
    outcomes = result.parseoutcomes()
    assert outcomes.get("passed", 0) > 0 and not outcomes.get("failed"), outcomes
    output = result.stdout.str()
    assert "What the reference does differently (- yours, + reference; docstrings left out):" in flat(result)
    assert f"--- yours: katas/{FAST.relpath}" in output
    assert f"+++ reference: {FAST.reference_path}" in flat(result)
    reference_only = "torch.logsumexp(logits, dim=dim, keepdim=True)"
    assert any(line.strip().startswith("+") and reference_only in line for line in output.splitlines())
    assert "def stable_log_softmax(" in output, "the full reference follows the diff"


def test_a_learner_file_identical_to_the_reference_says_so_instead_of_an_empty_diff(
    workspace: Workspace,
) -> None:
    workspace.solve(FAST)
    result = workspace.run("--katas", FAST.name)
    assert "Your file is the reference solution itself." in result.stdout.str()


# -- --katas-level -----------------------------------------------------------------------------


def test_katas_level_filters_the_selection(workspace: Workspace) -> None:
    result = workspace.run("--katas", "model_loading", "--katas-level", "advanced", "--collect-only", "-q")
    files = {line.split("::")[0].rsplit("/", 1)[-1] for line in result.stdout.lines if "::" in line}
    advanced = {f"test_{k.name}.py" for k in CATALOGUE.in_topic("model_loading") if k.level == "advanced"}
    assert files == advanced


def test_katas_level_alone_selects_that_level_everywhere(workspace: Workspace) -> None:
    result = workspace.run("--katas-level", "intermediate", "--collect-only", "-q")
    kata_names = {
        line.split("::")[0].rsplit("/test_", 1)[-1][:-3] for line in result.stdout.lines if "::" in line
    }
    assert kata_names == {k.name for k in CATALOGUE.katas if k.level == "intermediate"}


def test_a_level_with_no_katas_in_the_selection_is_a_usage_error(workspace: Workspace) -> None:
    result = workspace.run("--katas", "stable_log_softmax,validate_parameters", "--katas-level", "basic")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--katas-level basic: none of the 2 katas selected by*is basic*"])


# -- --katas-interview -------------------------------------------------------------------------


def test_interview_mode_shows_no_hint_no_tip_and_no_solution(workspace: Workspace) -> None:
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    workspace.solve(FAST)
    result = workspace.run("--katas", f"{KATA.name},{FAST.name}", "--katas-interview")
    output = result.stdout.str()
    assert f"✗ {KATA.name}" in output
    assert "Expected: pad_token='<|endoftext|>'" in output, "what was expected is still said"
    assert "Hint" not in output and "Tip:" not in output
    assert "solved!" not in output and "reference" not in output.lower()
    assert workspace.record()["katas"][KATA.name]["hints_shown"] == 0


def test_interview_mode_records_time_to_solve_and_ends_with_a_score_table(workspace: Workspace) -> None:
    workspace.write(KATA, FORGETS_THE_PAD_TOKEN.read_text(encoding="utf-8"))
    workspace.run("--katas", f"{KATA.name},{FAST.name}", "--katas-interview")  # the clock starts
    record = workspace.record()
    started = record["katas"][KATA.name]["interview_started"]
    # An hour passes (the record is rewound rather than the test waiting).
    for name in (KATA.name, FAST.name):
        record["katas"][name]["interview_started"] = "2026-01-01T10:00:00+00:00"
    workspace.record_file.write_text(json.dumps(record), encoding="utf-8")
    workspace.solve(KATA)
    workspace.solve(FAST)
    result = workspace.run("--katas", f"{KATA.name},{FAST.name}", "--katas-interview")
    assert started is not None
    entry = workspace.record()["katas"][KATA.name]
    assert entry["solved_in"] == "interview"
    assert entry["interview_attempts"] == 2
    seconds = progress.seconds_between(entry["interview_started"], entry["interview_solved"])
    assert seconds is not None and seconds > 3600
    result.stdout.fnmatch_lines(
        [
            "Interview",
            "kata*level*status*runs*time to solve",
            f"{KATA.name}*{KATA.level}*solved*2*h*min",
            f"{FAST.name}*solved*1*h*min",
            "Interview score: 2/2 katas solved (100%)*",
        ]
    )
    listed = _rows(workspace.run("--katas-list", "model_loading"))
    assert listed[KATA.name][2] == "solved*"


def test_interview_mode_refuses_to_reveal_solutions(workspace: Workspace) -> None:
    result = workspace.run("--katas", FAST.name, "--katas-interview", "--katas-solutions")
    assert result.ret == pytest.ExitCode.USAGE_ERROR


# -- --katas-report and --junitxml -------------------------------------------------------------


def test_katas_report_writes_each_katas_status_progress_and_checks(workspace: Workspace) -> None:
    _fail_once(workspace)
    workspace.solve(FAST)
    result = workspace.run(
        "--katas", f"{KATA.name},{FAST.name},generate_text", "--katas-report=out/report.json"
    )
    data = json.loads((workspace.pytester.path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["format"] == 1 and data["mode"] == "practice"
    assert data["summary"] == {
        "selected": 3,
        "solved": 1,
        "by_status": {"failing": 1, "not started": 1, "solved": 1},
    }
    katas = {kata["name"]: kata for kata in data["katas"]}
    failing = katas[KATA.name]
    # two runs, one hint: the second run met the same file (no new attempt, no new hint)
    assert (failing["status"], failing["attempts"], failing["hints_used"]) == ("failing", 2, 1)
    assert failing["topic"] == "model_loading" and failing["seconds_to_solve"] is None
    outcomes = {check["name"]: check for check in failing["checks"]}
    assert len(outcomes) == failing["checks_in_kata"] == KATA_CHECKS
    bad = outcomes["test_the_tokenizer_pads_with_its_eos_token"]
    assert bad["outcome"] == "failed" and "Expected: pad_token='<|endoftext|>'" in bad["message"]
    solved = katas[FAST.name]
    assert solved["status"] == "solved" and solved["seconds_to_solve"] == 0.0
    assert {check["outcome"] for check in solved["checks"]} == {"passed"}
    assert katas["generate_text"]["status"] == "not started"
    assert result.ret == pytest.ExitCode.TESTS_FAILED


def test_junitxml_carries_kata_and_topic_as_properties_of_every_check(workspace: Workspace) -> None:
    workspace.solve(FAST)
    workspace.run("--katas", f"{FAST.name},{KATA.name}", "--junitxml=results.xml")
    tree = ET.parse(workspace.pytester.path / "results.xml")
    seen = set()
    for case in tree.iter("testcase"):
        properties = {p.get("name"): p.get("value") for p in case.iter("property")}
        seen.add((properties["kata"], properties["topic"]))
        assert properties["kata"] in case.get("classname", "")
    assert seen == {(FAST.name, FAST.topic), (KATA.name, KATA.topic)}


# -- one meaning of "solved"; interviews of fresh katas; progress that follows the workspace -----

WRONG_LOG_SOFTMAX = REPO / "tests" / "decoys" / FAST.topic / FAST.name / "naive_exp.py"


def test_a_solved_kata_that_fails_again_is_solved_before_failing_now_everywhere(workspace: Workspace) -> None:
    workspace.solve(FAST)
    workspace.run("--katas", FAST.name)
    workspace.write(FAST, WRONG_LOG_SOFTMAX.read_text(encoding="utf-8"))
    failing = workspace.run("--katas", FAST.name)
    assert f"✗ {FAST.name}" in flat(failing) and "regressed: solved before, failing now" in flat(failing)
    failing.stdout.fnmatch_lines([f"{FAST.topic}*0/{len(CATALOGUE.in_topic(FAST.topic))}*", "Overall: 0/*"])
    listed = workspace.run("--katas-list", FAST.topic)
    assert _rows(listed)[FAST.name][2:4] == ["regressed", "1/3"]
    assert "0 solved, 1 regressed" in flat(listed) and "regressed: solved before, failing now" in flat(listed)
    report = workspace.run("--katas", FAST.name, "--katas-report=r.json")
    data = json.loads((workspace.pytester.path / "r.json").read_text(encoding="utf-8"))
    assert report.ret == pytest.ExitCode.TESTS_FAILED
    assert data["summary"]["solved"] == 0 and data["katas"][0]["record_status"] == "regressed"
    workspace.solve(FAST)
    again = workspace.run("--katas", FAST.name)
    again.stdout.fnmatch_lines([f"{FAST.topic}*1/{len(CATALOGUE.in_topic(FAST.topic))}*"])
    assert "solved!" not in again.stdout.str(), "revealed once, at the first solve"
    assert _rows(workspace.run("--katas-list", FAST.topic))[FAST.name][2] == "solved"


def test_an_interview_leaves_out_katas_solved_in_practice_and_says_so(workspace: Workspace) -> None:
    workspace.solve(FAST)
    workspace.run("--katas", FAST.name)  # solved in practice
    result = workspace.run("--katas", f"{KATA.name},{FAST.name}", "--katas-interview")
    output = flat(result)
    assert "Interview score: 0/1 katas solved (0%)" in output
    assert f"Not scored: {FAST.name}, solved in practice before this interview met it." in output
    assert f"pytest --katas-reset {FAST.name}" in output
    entry = workspace.record()["katas"][FAST.name]
    assert entry.get("interview_started") is None and entry.get("interview_attempts", 0) == 0


def test_progress_follows_a_workspace_that_is_copied_elsewhere(
    workspace: Workspace, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    (workspace.pytester.path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    workspace.solve(FAST)
    workspace.run("--katas", FAST.name)
    copy = tmp_path_factory.mktemp("moved") / "workspace"
    shutil.copytree(workspace.pytester.path, copy)
    monkeypatch.chdir(copy)
    listed = workspace.pytester.runpytest("--katas-list", FAST.topic, f"--rootdir={copy}")
    assert f"Your files: {copy / 'katas'}" in flat(listed) or "Your files: katas" in flat(listed)
    assert _rows(listed)[FAST.name][2] == "solved"


def test_katas_hint_shows_the_next_rung_records_it_and_stops_at_the_last(workspace: Workspace) -> None:
    total = len(FAST.hints)
    shown, texts = [], []
    for _ in range(total + 1):
        result = workspace.run("--katas-hint", FAST.name)
        assert result.ret == pytest.ExitCode.OK
        shown.append(next(line.split()[1] for line in result.stdout.lines if line.startswith("Hint ")))
        texts.append(flat(result))
    assert shown == [f"{n}/{total}" for n in range(1, total + 1)] + [f"{total}/{total}"]
    assert " ".join(FAST.hints[0].split()[:8]) in texts[0]
    assert "That is the last hint" in texts[-1] and "That is the last hint" not in texts[0]
    assert workspace.record()["katas"][FAST.name]["hints_shown"] == total
    assert _rows(workspace.run("--katas-list", FAST.topic))[FAST.name][-1] == f"{total}/{total}"
    assert workspace.run("--katas-hint", FAST.topic).ret == pytest.ExitCode.USAGE_ERROR


def test_a_hint_asked_for_is_not_shown_again_as_new_by_the_next_failing_run(workspace: Workspace) -> None:
    workspace.run("--katas-hint", FAST.name)
    workspace.write(FAST, WRONG_LOG_SOFTMAX.read_text(encoding="utf-8"))
    result = workspace.run("--katas", FAST.name)
    assert f"Hint 2/{len(FAST.hints)}" in result.stdout.str()
