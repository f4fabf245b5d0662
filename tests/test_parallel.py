"""Runs that are split or stopped: pytest-xdist's ``-n 2`` must give what a serial run gives, and
Ctrl-C must keep the progress of the katas already decided."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue, progress

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = catalogue.load()
#: Katas given a deliberately wrong implementation, and katas left as pristine stubs; every other
#: kata gets its reference solution.
DECOYS = {
    "load_model_and_tokenizer": (
        "tests/decoys/model_loading/load_model_and_tokenizer/forgets_the_pad_token.py"
    ),
    "stable_log_softmax": next(
        str(path.relative_to(REPO))
        for path in sorted((REPO / "tests/decoys/debugging/stable_log_softmax").glob("*.py"))
    ),
    "fine_tune": next(
        str(path.relative_to(REPO))
        for path in sorted((REPO / "tests/decoys/fine_tuning/fine_tune").glob("*.py"))
    ),
}
STUBS = {"generate_text", "fairness_metrics"}
_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00")
#: pytest's temporary folders: a check's tmp_path, named after the worker under xdist
_TEMPORARY = re.compile(r"/tmp/pytest-of-[^'\"]*")


def _workspace(folder: Path) -> Path:
    for kata in CATALOGUE.katas:
        if kata.name in DECOYS:
            source = REPO / DECOYS[kata.name]
        elif kata.name in STUBS:
            source = REPO / "katas" / kata.relpath
        else:
            source = kata.reference_path
        target = folder / "katas" / kata.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
    return folder / "katas"


def _kata_report(output: str) -> str:
    """The tfkatas section of the output, up to pytest's short summary (whose order is the order
    in which checks finished), with temporary folders (named by worker under xdist) made equal."""
    start = output.index("─ tfkatas ─")
    end = output.find("short test summary info", start)  # hidden at the default verbosity
    section = output[start : end if end >= 0 else output.rindex("\n=")]
    # a long path may be wrapped anywhere: compare the text without its white space
    return _TEMPORARY.sub("<tmp>", "".join(section.split()))


def _without_times(data: object) -> object:
    text = _TEMPORARY.sub("<tmp>", _STAMP.sub("<time>", json.dumps(data, sort_keys=True)))
    return json.loads(text)


def test_a_parallel_run_gives_the_verdicts_progress_and_report_of_a_serial_one(
    pytester: pytest.Pytester,
) -> None:
    pytest.importorskip("xdist")
    results = {}
    for mode, extra in (("serial", []), ("parallel", ["-n", "2"])):
        folder = pytester.path / mode
        katas = _workspace(folder)
        # the same folder name in both runs, so that paths in the outputs compare equal
        run_dir = pytester.path / "run"
        if run_dir.exists():
            shutil.rmtree(run_dir)
        shutil.copytree(folder, run_dir)
        katas = run_dir / "katas"
        result = pytester.runpytest_subprocess(
            "--katas",
            "all",
            f"--katas-dir={katas}",
            "--katas-report=report.json",
            "-p",
            "no:randomly",
            *extra,
        )
        record_file = pytester.path / ".pytest_cache" / "v" / progress.cache_key(katas, pytester.path)
        results[mode] = (
            result,
            _kata_report(result.stdout.str()),
            _without_times(json.loads(record_file.read_text(encoding="utf-8"))),
            _without_times(json.loads((pytester.path / "report.json").read_text(encoding="utf-8"))),
        )
        record_file.unlink()
    serial, parallel = results["serial"], results["parallel"]
    assert parallel[0].parseoutcomes() == serial[0].parseoutcomes()
    assert "created: 2/2 workers" in parallel[0].stdout.str()
    assert parallel[1] == serial[1], "the kata report"
    assert parallel[2] == serial[2], "the progress record"
    assert parallel[3] == serial[3], "the JSON report"
    statuses = {kata["name"]: kata["status"] for kata in serial[3]["katas"]}
    assert {name for name, status in statuses.items() if status == "failing"} == set(DECOYS)
    assert {name for name, status in statuses.items() if status == "not started"} == STUBS
    solved = [name for name, status in statuses.items() if status == "solved"]
    assert len(solved) == len(CATALOGUE.katas) - len(DECOYS) - len(STUBS)


def test_ctrl_c_keeps_the_progress_of_the_katas_already_decided(tmp_path: Path) -> None:
    solved = CATALOGUE.kata("handle_errors")
    endless = CATALOGUE.kata("stable_log_softmax")  # test_stable_... is collected after test_handle_...
    katas = tmp_path / "katas"
    for kata in (solved, endless):
        (katas / kata.relpath).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(solved.reference_path, katas / solved.relpath)
    started = tmp_path / "looping"
    (katas / endless.relpath).write_text(
        "import pathlib, time\n\n\ndef stable_log_softmax(logits, dim=-1):\n"
        f"    pathlib.Path({str(started)!r}).touch()\n"
        "    while True:\n        time.sleep(0.01)\n",
        encoding="utf-8",
    )
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--katas",
        f"{solved.name},{endless.name}",
        "-p",
        "no:randomly",
    ]
    process = subprocess.Popen(
        [*command, "--katas-timeout=0"],
        cwd=tmp_path,
        env={**os.environ, "COLUMNS": "120"},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert started.exists(), "the endless kata never started"
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode == pytest.ExitCode.INTERRUPTED, output
    assert "KeyboardInterrupt" in output
    record_file = tmp_path / ".pytest_cache" / "v" / progress.cache_key(katas, tmp_path)
    record = json.loads(record_file.read_text(encoding="utf-8"))
    assert record["katas"][solved.name]["first_solved"], output
    assert endless.name not in record["katas"], "an interrupted kata is not decided"
    assert not list(record_file.parent.glob("*.tmp")), "no temporary file left behind"
