"""Grading a class with ``pytest --katas-grade``: a folder of submissions, one gradebook.

The class here: ada solved every kata by hand; ben copied the references (comments dropped, names
changed); cy solved one, got one wrong and left one a stub, with a conftest.py, a pytest.ini and a
sitecustomize.py that try to pass every check; dee has a syntax error; eve an endless loop; fay's
functions end the process and flood the output; gus is on the roster with no folder.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path, PurePosixPath

import pytest

from pytest_tfkatas.paths import pristine_stub

REPO = Path(__file__).resolve().parent.parent
KATAS = ("stable_log_softmax", "validate_parameters", "retry_with_backoff")
TOPIC = "debugging"
LEARNERS = ("ada", "ben", "cy", "dee", "eve", "fay", "gus")

CHEATING_CONFTEST = """
import pytest


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    report.outcome = "passed"
    return report
"""


def _stub(kata: str) -> str:
    return pristine_stub(PurePosixPath(TOPIC, f"{kata}.py"))


def _with_body(kata: str, body: str, imports: str = "") -> str:
    """The stub of ``kata`` with its ``raise NotImplementedError`` replaced by ``body``."""
    stub = _stub(kata)
    assert "    raise NotImplementedError" in stub
    future = "from __future__ import annotations\n"
    return stub.replace(future, future + imports).replace("    raise NotImplementedError", body)


def _copied(kata: str) -> str:
    """The reference, as a learner who copied it would hand it in: comments gone, names changed."""
    text = (REPO / "solutions" / TOPIC / f"{kata}.py").read_text(encoding="utf-8")
    text = re.sub(r"  # .*", "", text)
    for old, new in (("error", "err"), ("logits", "scores"), ("model", "net"), ("attempt", "tries")):
        text = re.sub(rf"\b{old}\b", new, text)
    return text


def _write(folder: Path, files: dict[str, str]) -> None:
    for kata, text in files.items():
        path = folder / TOPIC / f"{kata}.py"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def _class_folder(root: Path) -> Path:
    submissions = root / "submissions"
    alternative = {k: (REPO / "tests" / "alternatives" / TOPIC / f"{k}.py").read_text() for k in KATAS}
    stubs = {k: _stub(k) for k in KATAS}
    # ada: a workspace, solved by hand (the alternatives: correct, written otherwise)
    _write(submissions / "ada" / "katas", alternative)
    # ben: a bare katas folder, the references copied
    _write(submissions / "ben", {k: _copied(k) for k in KATAS})
    # cy: one solved, one wrong, one a stub; and files that try to pass every check
    wrong = (
        REPO / "tests" / "decoys" / TOPIC / "validate_parameters" / "seed_checks_only_nan.py"
    ).read_text()
    cy = submissions / "cy"
    _write(
        cy / "katas",
        {
            "stable_log_softmax": alternative["stable_log_softmax"],
            "validate_parameters": wrong,
            "retry_with_backoff": stubs["retry_with_backoff"],
        },
    )
    for folder in (cy, cy / "katas", cy / "katas" / TOPIC):
        (folder / "conftest.py").write_text(CHEATING_CONFTEST, encoding="utf-8")
        (folder / "sitecustomize.py").write_text("raise SystemExit('sitecustomize ran')\n", encoding="utf-8")
    (cy / "pytest.ini").write_text("[pytest]\naddopts = -p no:tfkatas\n", encoding="utf-8")
    # dee: a syntax error
    _write(
        submissions / "dee" / "katas",
        {**stubs, "stable_log_softmax": _stub("stable_log_softmax") + "\ndef (:\n"},
    )
    # eve: an endless loop in one function
    _write(
        submissions / "eve" / "katas",
        {**stubs, "validate_parameters": _with_body("validate_parameters", "    while True:\n        pass")},
    )
    # fay: a function that ends the process, one that floods the output
    _write(
        submissions / "fay" / "katas",
        {
            **stubs,
            "stable_log_softmax": _with_body("stable_log_softmax", "    os._exit(3)", "import os\n"),
            "validate_parameters": _with_body(
                "validate_parameters",
                "    for _ in range(200_000):\n        print('x' * 100)\n    return model",
            ),
        },
    )
    (root / "roster.txt").write_text("# the class\n" + "\n".join(LEARNERS) + "\n", encoding="utf-8")
    (root / "points.toml").write_text("[points]\nstable_log_softmax = 2\n", encoding="utf-8")
    return submissions


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {
        str(path.relative_to(folder)): (path.stat().st_size, path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


def _grade(root: Path, output: str, *args: str) -> int:
    return pytest.main(
        [
            "--katas-grade",
            str(root / "submissions"),
            "--katas",
            ",".join(KATAS),
            "--katas-roster",
            str(root / "roster.txt"),
            "--katas-points",
            str(root / "points.toml"),
            "--katas-gradebook",
            str(root / output),
            "--katas-timeout",
            "3",
            f"--rootdir={root}",
            "-q",
            *args,
        ]
    )


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[int, int]], int]:
    root = tmp_path_factory.mktemp("class")
    submissions = _class_folder(root)
    before = _tree(submissions)
    cwd = os.getcwd()
    os.chdir(root)
    try:
        code = _grade(root, "gradebook")
    finally:
        os.chdir(cwd)
    assert _tree(submissions) == before, "grading wrote into a submission"
    return root, before, code


def _rows(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8") as file:
        return {row["learner"]: row for row in csv.DictReader(file)}


def test_a_class_is_graded_into_one_row_per_learner_with_the_right_points(graded) -> None:
    root, _, code = graded
    assert code == 0
    rows = _rows(root / "gradebook" / "gradebook.csv")
    assert list(rows) == list(LEARNERS)
    points = {
        name: {kata: float(row[kata]) for kata in KATAS} | {"total": float(row["total"])}
        for name, row in rows.items()
    }
    full = {"stable_log_softmax": 2.0, "validate_parameters": 1.0, "retry_with_backoff": 1.0, "total": 4.0}
    assert points["ada"] == full
    assert points["ben"] == full
    assert points["cy"] == {**dict.fromkeys(KATAS, 0.0), "stable_log_softmax": 2.0, "total": 2.0}
    for name in ("dee", "eve", "fay", "gus"):
        assert points[name]["total"] == 0.0, name
    assert all(row["max_total"] == "4" for row in rows.values())
    assert "no submission" in rows["gus"]["notes"]


def test_every_outcome_comes_from_the_run_with_the_learners_message(graded) -> None:
    root, _, _ = graded
    book = json.loads((root / "gradebook" / "gradebook.json").read_text(encoding="utf-8"))
    learners = {learner["learner"]: learner for learner in book["learners"]}

    def first_failure(name: str, kata: str) -> str:
        results = learners[name]["katas"][kata]["results"]
        return next(r["message"] for r in results if r["outcome"] == "failed")

    cy = learners["cy"]["katas"]
    assert cy["validate_parameters"]["status"] == "failing", "cy's conftest.py must not pass a check"
    assert cy["retry_with_backoff"]["status"] == "not started"
    assert "SyntaxError" in first_failure("dee", "stable_log_softmax")
    assert "dee/katas/debugging/stable_log_softmax.py" in first_failure("dee", "stable_log_softmax")
    assert "stopped after 3 s" in first_failure("eve", "validate_parameters")
    assert "os._exit(3)" in first_failure("fay", "stable_log_softmax")
    assert learners["fay"]["katas"]["validate_parameters"]["status"] == "failing"  # loud, and wrong
    assert learners["gus"]["folder"] is None
    assert all(kata["status"] == "not run" for kata in learners["gus"]["katas"].values())
    rates = {kata["name"]: kata["solve_rate"] for kata in book["katas"]}
    assert rates == {
        "stable_log_softmax": 0.5,
        "validate_parameters": round(2 / 6, 4),
        "retry_with_backoff": round(2 / 6, 4),
    }


def test_copies_of_the_reference_and_of_each_other_are_flagged_and_others_are_not(graded) -> None:
    root, _, _ = graded
    book = json.loads((root / "gradebook" / "gradebook.json").read_text(encoding="utf-8"))
    flags = {(flag["kata"], flag["learner"], flag["other"]) for flag in book["flags"]}
    assert {(kata, "ben", "reference") for kata in KATAS} <= flags
    # ada and cy handed in the same file for one kata
    assert ("stable_log_softmax", "ada", "cy") in flags
    assert not [flag for flag in flags if "reference" in flag and flag[1] != "ben"]
    assert all(flag["similarity"] >= 0.9 for flag in book["flags"])
    rows = _rows(root / "gradebook" / "gradebook.csv")
    assert "stable_log_softmax: reference 100%" in rows["ben"]["flags"]


def test_a_bad_points_file_or_no_learner_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "submissions").mkdir()
    assert pytest.main(["--katas-grade", str(tmp_path / "submissions"), f"--rootdir={tmp_path}"]) == 4
    assert "no learner folder" in capsys.readouterr().err
    (tmp_path / "submissions" / "ada").mkdir()
    (tmp_path / "points.toml").write_text("[points]\ngenerate_txt = 2\n", encoding="utf-8")
    code = pytest.main(
        [
            "--katas-grade",
            str(tmp_path / "submissions"),
            "--katas-points",
            str(tmp_path / "points.toml"),
            f"--rootdir={tmp_path}",
        ]
    )
    assert code == 4
    assert "'generate_txt', which is not a kata" in capsys.readouterr().err


def test_partial_credit_gives_points_per_passed_check(tmp_path: Path) -> None:
    from pytest_tfkatas.gradebook import Points, grade
    from pytest_tfkatas.results import KataRun

    run = KataRun(total=4)
    for name, outcome in [("a", "passed"), ("b", "passed"), ("c", "passed"), ("d", "failed")]:
        run.record(name, outcome, "" if outcome == "passed" else "Got: 1")  # type: ignore[arg-type]
    assert grade("k", run, Points({"k": 2.0}), 4).points == 0.0
    assert grade("k", run, Points({"k": 2.0}, partial_credit=True), 4).points == 1.5


def test_two_workers_give_the_same_gradebook(graded) -> None:
    pytest.importorskip("xdist")
    root, before, _ = graded
    assert _grade(root, "gradebook-n2", "-n", "2") == 0
    assert _tree(root / "submissions") == before
    serial, parallel = (_rows(root / name / "gradebook.csv") for name in ("gradebook", "gradebook-n2"))
    assert serial == parallel


CHROMIUM, CHROMEDRIVER = Path("/usr/bin/chromium"), Path("/usr/bin/chromedriver")


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):
    """Debian's Chromium, headless, driven by Selenium (no browser or driver is downloaded)."""
    if not (CHROMIUM.exists() and CHROMEDRIVER.exists()):
        pytest.skip("no browser: apt-get install chromium chromium-driver (as .ci/run does)")
    webdriver = pytest.importorskip("selenium.webdriver")
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager: never look for a browser online
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        "--window-size=1400,1000",
    ):
        options.add_argument(argument)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(str(CHROMEDRIVER)))
    yield driver
    driver.quit()


def test_the_gradebook_page_sorts_links_to_failures_and_charts_solve_rates(graded, browser) -> None:
    from selenium.webdriver.common.by import By

    root, _, _ = graded
    browser.get((root / "gradebook" / "gradebook.html").as_uri())

    def learners() -> list[str]:
        return [
            row.get_attribute("data-learner")
            for row in browser.find_elements(By.CSS_SELECTOR, "#gradebook tbody tr")
        ]

    assert learners() == list(LEARNERS)
    total = browser.find_element(By.XPATH, "//table[@id='gradebook']//th[normalize-space()='total']")
    total.click()  # most points first (4, 4, 2, then 0s); the sort keeps ties in their order
    assert learners() == ["ada", "ben", "cy", "dee", "eve", "fay", "gus"]
    total.click()
    assert learners() == ["dee", "eve", "fay", "gus", "cy", "ada", "ben"]
    name = browser.find_element(By.XPATH, "//table[@id='gradebook']//th[normalize-space()='learner']")
    name.click()
    assert learners() == sorted(LEARNERS, reverse=True)

    def cell(learner: str, kata: str):
        return browser.find_element(
            By.CSS_SELECTOR, f'#gradebook tr[data-learner="{learner}"] td[data-kata="{kata}"]'
        )

    solved, failing = cell("ada", "stable_log_softmax"), cell("dee", "stable_log_softmax")
    assert (
        solved.get_attribute("data-status") == "solved" and failing.get_attribute("data-status") == "failing"
    )
    assert solved.value_of_css_property("background-color") != failing.value_of_css_property(
        "background-color"
    )
    failing.find_element(By.TAG_NAME, "a").click()
    anchor = browser.current_url.partition("#")[2]
    section = browser.find_element(By.ID, anchor)
    assert section.is_displayed()
    assert "dee" in section.text and "SyntaxError" in section.text

    bars = {
        bar.get_attribute("data-kata"): bar
        for bar in browser.find_elements(By.CSS_SELECTOR, "#solve-rates .bar")
    }
    assert set(bars) == set(KATAS)
    track = bars["stable_log_softmax"].find_element(By.XPATH, "..")
    assert abs(bars["stable_log_softmax"].size["width"] / track.size["width"] - 0.5) < 0.02
    flags = browser.find_element(By.ID, "flags").text
    assert "ben" in flags and "reference" in flags


def test_the_classroom_workflow_has_a_graded_step_per_kata_and_passes_actionlint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import subprocess

    import yaml

    workspace = tmp_path / "assignment"
    assert pytest.main(["--katas-init", str(workspace), "-p", "no:cacheprovider", "-q"]) == 0
    (workspace / "points.toml").write_text("[points]\ngenerate_text = 2\nstable_log_softmax = 1.5\n")
    (workspace / "pytest_tfkatas-0.1.0-py3-none-any.whl").write_bytes(b"")  # the wheel a bootcamp hands out
    monkeypatch.chdir(workspace)
    code = pytest.main(
        [
            "--katas-classroom",
            "generate_text,debugging",
            "--katas-points",
            "points.toml",
            "-p",
            "no:cacheprovider",
        ]
    )
    assert code == 0
    file = workspace / ".github" / "workflows" / "classroom.yml"
    workflow = yaml.safe_load(file.read_text(encoding="utf-8"))
    steps = workflow["jobs"]["run-autograding-tests"]["steps"]
    install = next(step for step in steps if step.get("name") == "Install pytest-tfkatas")
    assert (
        "torch==2.13.0" in install["run"]
        and '"./pytest_tfkatas-0.1.0-py3-none-any.whl[all]"' in install["run"]
    )
    graders = [
        step for step in steps if step.get("uses", "").startswith("education/autograding-command-grader")
    ]
    from pytest_tfkatas import catalogue

    names = ["generate_text", *(kata.name for kata in catalogue.load().in_topic("debugging"))]
    assert [step["with"]["test-name"] for step in graders] == names
    assert len({step["id"] for step in graders}) == len(names)
    scores = {step["with"]["test-name"]: step["with"]["max-score"] for step in graders}
    assert (
        scores["generate_text"] == 2 and scores["stable_log_softmax"] == 1.5 and scores["handle_errors"] == 1
    )
    assert all(step["with"]["command"] == f"pytest --katas {step['with']['test-name']}" for step in graders)
    reporter = steps[-1]
    assert reporter["uses"].startswith("education/autograding-grading-reporter")
    assert reporter["with"]["runners"].split(",") == [step["id"] for step in graders]
    for step in graders:
        assert (
            reporter["env"][f"{step['id'].upper()}_RESULTS"]
            == "${{ steps." + step["id"] + ".outputs.result }}"
        )
    actionlint = shutil.which("actionlint")
    if actionlint is None:
        pytest.skip("actionlint is not installed (the dev extra installs it)")
    checked = subprocess.run([actionlint, str(file)], capture_output=True, text=True, check=False)
    assert checked.returncode == 0, checked.stdout + checked.stderr
