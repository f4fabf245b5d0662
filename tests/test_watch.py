"""Watch mode through a real process, as a learner uses it: start it, save files, read verdicts."""

from __future__ import annotations

import json
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from pytest_tfkatas import catalogue, progress
from pytest_tfkatas.watch import WATCHING

REPO = Path(__file__).resolve().parent.parent
CATALOGUE = catalogue.load()
FAST = CATALOGUE.kata("stable_log_softmax")
OTHER = CATALOGUE.kata("validate_parameters")
WRONG = (
    "import torch\n\n\ndef stable_log_softmax(logits, dim=-1):\n"
    "    return torch.log(torch.softmax(logits, dim=dim))\n"
)


class WatchProcess:
    """``pytest --katas ... --katas-watch`` in a workspace, its output read line by line."""

    def __init__(self, folder: Path, *katas: str) -> None:
        self.folder = folder
        environment = {
            **os.environ,
            "PYTHONUNBUFFERED": "1",
            "COLUMNS": "120",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pytest",
                "--katas",
                ",".join(katas),
                "--katas-watch",
                "-p",
                "no:randomly",
            ],
            cwd=folder,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.output: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put(None)

    def until_watching(self, timeout: float = 60) -> list[str]:
        """The lines printed up to the next "watching" line."""
        seen = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                pytest.fail("no 'watching' line came:\n" + "\n".join(self.output + seen))
            if line is None:
                pytest.fail("watch mode ended:\n" + "\n".join(self.output + seen))
            seen.append(line)
            if line.startswith(WATCHING):
                self.output += seen
                return seen

    def save(self, kata: catalogue.Kata, text: str) -> None:
        (self.folder / "katas" / kata.relpath).write_text(text, encoding="utf-8")

    def stop(self) -> tuple[int, str]:
        self.process.send_signal(signal.SIGINT)
        self.process.wait(timeout=60)
        rest = []
        while (line := self.lines.get(timeout=10)) is not None:
            rest.append(line)
        return self.process.returncode, "\n".join(rest)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for kata in (FAST, OTHER):
        target = tmp_path / "katas" / kata.relpath
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(REPO / "katas" / kata.relpath, target)
    (tmp_path / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def watching(folder: Path):
    processes: list[WatchProcess] = []

    def start(*katas: str) -> WatchProcess:
        process = WatchProcess(folder, *katas)
        processes.append(process)
        return process

    yield start
    for process in processes:
        process.kill()


def test_a_save_rechecks_the_kata_and_prints_its_verdict_and_reveal(watching, folder: Path) -> None:
    watch = watching(FAST.name)
    first = "\n".join(watch.until_watching())
    assert f"○ {FAST.name}  not started" in first

    watch.save(FAST, WRONG)
    failing = "\n".join(watch.until_watching())
    assert f"✗ {FAST.name}" in failing and "Hint 1/" in failing

    watch.save(FAST, FAST.reference_path.read_text(encoding="utf-8"))
    solved = "\n".join(watch.until_watching())
    assert f"✓ {FAST.name} solved!" in solved
    assert "def stable_log_softmax(" in solved, "the reference is revealed"
    record = json.loads(
        (folder / ".pytest_cache/v" / progress.cache_key(folder / "katas", folder)).read_text()
    )
    assert record["katas"][FAST.name]["first_solved"], "progress is saved at once, as in a normal run"
    assert record["katas"][FAST.name]["attempts"] == 2
    assert record["katas"][FAST.name]["hints_shown"] == 1


def test_a_syntax_error_in_the_saved_file_is_a_verdict_not_the_end(watching) -> None:
    watch = watching(FAST.name)
    watch.until_watching()
    watch.save(FAST, "def stable_log_softmax(logits, dim=-1:\n    pass\n")
    broken = "\n".join(watch.until_watching())
    assert "SyntaxError" in broken and f"katas/{FAST.relpath}" in broken
    watch.save(FAST, FAST.reference_path.read_text(encoding="utf-8"))
    assert any(f"✓ {FAST.name} solved!" in line for line in watch.until_watching())


def test_only_the_saved_kata_is_checked_again(watching) -> None:
    watch = watching(f"{FAST.name},{OTHER.name}")
    watch.until_watching()
    watch.save(OTHER, OTHER.reference_path.read_text(encoding="utf-8"))
    verdict = "\n".join(watch.until_watching())
    assert f"✓ {OTHER.name} solved!" in verdict
    assert f"Next: {FAST.name}" in verdict, "the next unsolved kata of the selection"
    others = [line for line in verdict.splitlines() if not line.startswith("Next: ")]
    assert FAST.name not in "\n".join(others).replace(f"{FAST.topic}", "")


def test_a_burst_of_saves_gives_one_verdict(watching) -> None:
    watch = watching(FAST.name)
    watch.until_watching()
    for step in range(5):
        watch.save(FAST, WRONG + f"# step {step}\n")
        time.sleep(0.2)  # a learner pressing save five times in a second
    verdict = watch.until_watching()
    assert sum(line.startswith(f"✗ {FAST.name}") for line in verdict) == 1
    try:
        extra = watch.lines.get(timeout=2)
    except queue.Empty:
        return  # nothing more follows
    pytest.fail(f"a second verdict followed: {extra!r}\n" + "\n".join(verdict))


def test_ctrl_c_ends_watch_mode_cleanly(watching) -> None:
    watch = watching(FAST.name)
    watch.until_watching()
    code, rest = watch.stop()
    assert "tfkatas: stopped watching; progress is saved." in rest
    assert f"{FAST.name}: new" in rest
    assert "Traceback" not in rest and "KeyboardInterrupt" not in rest
    assert code == pytest.ExitCode.TESTS_FAILED, "nothing was solved: the stub fails"


def test_ctrl_c_after_a_kata_was_solved_in_watch_says_what_holds_now(watching) -> None:
    watch = watching(FAST.name)
    watch.until_watching()
    watch.save(FAST, FAST.reference_path.read_text(encoding="utf-8"))
    watch.until_watching()
    code, rest = watch.stop()
    assert f"{FAST.name}: solved" in rest
    assert "failed" not in rest, rest
    assert code == pytest.ExitCode.OK, rest


def test_each_save_is_stamped_and_a_failing_kata_lists_every_checks_verdict(watching) -> None:
    watch = watching(FAST.name)
    first = "\n".join(watch.until_watching())
    collected = re.search(r"collected (\d+) items?", first)
    assert collected is not None, first
    watch.save(FAST, WRONG)
    lines = watch.until_watching()
    stamp = next(line for line in lines if f"{FAST.name} saved: checking" in line)
    assert stamp.startswith("── ") and stamp[3:5].isdigit() and stamp[5] == ":"
    checks = [line.strip() for line in lines if line.strip().startswith(("✓ test_", "✗ test_"))]
    assert len(checks) == int(collected.group(1)) and any(line.startswith("✓ ") for line in checks)
    assert any(line.startswith("✗ test_huge_logits") for line in checks)


def test_a_kata_solved_in_watch_names_the_next_unsolved_one(watching) -> None:
    watch = watching(f"{FAST.name},{OTHER.name}")
    watch.until_watching()
    watch.save(FAST, FAST.reference_path.read_text(encoding="utf-8"))
    solved = "\n".join(watch.until_watching())
    assert f"Next: {OTHER.name}, in katas/{OTHER.relpath}" in solved
    watch.save(OTHER, OTHER.reference_path.read_text(encoding="utf-8"))
    assert "All 2 katas of this run are solved." in "\n".join(watch.until_watching())


def test_watch_mode_with_xdist_is_a_usage_error(pytester: pytest.Pytester, folder: Path) -> None:
    pytest.importorskip("xdist")
    result = pytester.runpytest_subprocess(
        "--katas", FAST.name, "--katas-watch", "-n", "2", f"--katas-dir={folder / 'katas'}"
    )
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["*--katas-watch re-checks katas in this process: leave out -n*"])
