"""How fast a class is graded: today's loop of one pytest run per learner, against one grading run.

    python benchmarks/grade.py                                   # 6 learners, the debugging topic
    python benchmarks/grade.py --learners 10 --katas model_loading,debugging --workers 2

A class of ``--learners`` submissions is made in a temporary folder: each learner's workspace
holds the reference solutions of the selected katas (fully solved workspaces, the slowest case:
every check runs to its end). Then three ways to grade it are timed, each a fresh process, as an
instructor would start it:

- the loop: ``pytest --katas NAMES --katas-dir learnerN/katas --katas-report N.json``, learner
  after learner (torch and transformers imported again for each);
- ``pytest --katas-grade CLASS --katas NAMES`` (one process, serial);
- the same with ``-n WORKERS`` (pytest-xdist; learners spread over the workers).

It prints each one's wall time and learners per minute, and checks that the three agree on
every learner's solved katas (exit 1 if not).
"""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pytest_tfkatas import catalogue  # noqa: E402


def make_class(root: Path, learners: int, katas: list[catalogue.Kata]) -> Path:
    submissions = root / "class"
    for n in range(learners):
        for kata in katas:
            target = submissions / f"learner{n:02d}" / "katas" / kata.relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(REPO / "solutions" / kata.relpath, target)
    return submissions


def timed(command: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    return time.perf_counter() - start, result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--learners", type=int, default=6)
    parser.add_argument("--katas", default="debugging", help="as --katas takes them (default: debugging)")
    parser.add_argument("--workers", type=int, default=2, help="-n for the parallel grading run")
    args = parser.parse_args(argv)
    selected = list(catalogue.load().select(args.katas))
    names = ",".join(kata.name for kata in selected)
    pytest = [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q"]
    with tempfile.TemporaryDirectory(prefix="tfkatas-grade-bench-") as folder:
        root = Path(folder)
        submissions = make_class(root, args.learners, selected)
        learners = sorted(path.name for path in submissions.iterdir())
        print(f"{args.learners} learners x {len(selected)} katas ({args.katas}), fully solved", flush=True)

        loop_solved: dict[str, set[str]] = {}
        loop_time = 0.0
        for learner in learners:
            report = root / f"{learner}.json"
            seconds, result = timed(
                [
                    *pytest,
                    "--katas",
                    names,
                    "--katas-dir",
                    str(submissions / learner / "katas"),
                    "--katas-report",
                    str(report),
                ],
                root,
            )
            loop_time += seconds
            if not report.is_file():
                print(result.stdout[-2000:], result.stderr[-2000:])
                return 2
            data = json.loads(report.read_text(encoding="utf-8"))
            loop_solved[learner] = {kata["name"] for kata in data["katas"] if kata["status"] == "solved"}

        figures = {"one run per learner (today)": loop_time}
        solved: dict[str, dict[str, set[str]]] = {"one run per learner (today)": loop_solved}
        for label, extra in (
            ("--katas-grade, serial", []),
            (f"--katas-grade -n {args.workers}", ["-n", str(args.workers)]),
        ):
            output = root / label.replace(" ", "_").replace(",", "")
            seconds, result = timed(
                [
                    *pytest,
                    "--katas-grade",
                    str(submissions),
                    "--katas",
                    names,
                    "--katas-gradebook",
                    str(output),
                    *extra,
                ],
                root,
            )
            if result.returncode != 0 or not (output / "gradebook.csv").is_file():
                print(result.stdout[-3000:], result.stderr[-3000:])
                return 2
            figures[label] = seconds
            with (output / "gradebook.csv").open(encoding="utf-8") as file:
                rows = list(csv.DictReader(file))
            book = json.loads((output / "gradebook.json").read_text(encoding="utf-8"))
            solved[label] = {
                learner["learner"]: {k for k, v in learner["katas"].items() if v["status"] == "solved"}
                for learner in book["learners"]
            }
            assert len(rows) == len(learners)

    print(f"{'way':<30} {'wall time':>10} {'learners/min':>13}")
    for label, seconds in figures.items():
        print(f"{label:<30} {seconds:>9.1f}s {args.learners / seconds * 60:>13.1f}")
    base = figures["one run per learner (today)"]
    for label, seconds in list(figures.items())[1:]:
        print(f"{label}: {base / seconds:.1f}x the loop's rate")
    agree = all(result == loop_solved for result in solved.values())
    print("verdicts agree" if agree else "VERDICTS DIFFER between the ways of grading")
    return 0 if agree else 1


if __name__ == "__main__":
    raise SystemExit(main())
