"""Run the same kata selection many times and check that every run gives the same verdicts.

    python benchmarks/repeat.py --runs 20                     # every kata, on the references
    python benchmarks/repeat.py --runs 5 --katas generation --katas-dir katas

Each run is a fresh ``pytest --katas ... -p no:cacheprovider -q --junitxml=...`` subprocess, with
Python's hash randomisation left on, so set and dict orders differ between runs as they do between
a learner's runs. Each run's JUnit XML is read into one verdict per check: its outcome, with the
failure, error or skip message. Two things in a message vary by construction and are masked
before comparing: memory addresses (``0x7f...``) and temporary folders. The script lists every
check whose verdict was not the same in all runs, and exits 1 if there is one (2 if a run could
not finish). With ``--expect-pass`` (for the references), it also counts the runs in which a check
did not pass, and exits 1 if there is one, even when every run failed the same way.

    python benchmarks/repeat.py --runs 30 --katas deployment --expect-pass
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

#: check (JUnit ``classname::name``) -> verdict ("passed", or "failed: <message>", ...)
Verdicts = dict[str, str]
#: a check's verdicts that were not all the same: verdict -> the runs (from 1) that gave it
Spread = dict[str, list[int]]
ABSENT = "absent (not run)"
_OUTCOMES = {"failure": "failed", "error": "error", "skipped": "skipped"}

_TEMP = "|".join(sorted({re.escape(tempfile.gettempdir()), "/tmp"}))
_MASKS = (
    (re.compile(r"0x[0-9a-fA-F]{4,}"), "0x…"),  # object addresses
    (re.compile(rf"(?:{_TEMP})/pytest-of-[^/\s]+/pytest-\d+/"), "<tmp>/"),  # pytest's tmp_path
    (re.compile(rf"(?:{_TEMP})/(?:tmp|tfkatas-)[\w.-]+"), "<tmp>"),  # tempfile.mkdtemp()
)


def normalise(message: str) -> str:
    """A message with the parts that differ by construction between runs masked."""
    for pattern, replacement in _MASKS:
        message = pattern.sub(replacement, message)
    return " ".join(message.split())


def parse_junit(source: str | Path) -> Verdicts:
    """One verdict per test case of a JUnit XML file (a path, or the XML text itself)."""
    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
    verdicts: Verdicts = {}
    for case in ET.fromstring(text).iter("testcase"):
        check = f"{case.get('classname', '')}::{case.get('name', '')}"
        outcomes = [
            f"{_OUTCOMES[child.tag]}: {normalise(child.get('message') or child.text or '')}"
            for child in case
            if child.tag in _OUTCOMES
        ]
        verdict = " + ".join(outcomes) if outcomes else "passed"
        # pytest writes a second test case for a teardown error: keep both outcomes.
        verdicts[check] = f"{verdicts[check]} + {verdict}" if check in verdicts else verdict
    return verdicts


def differences(runs: Sequence[Verdicts]) -> dict[str, Spread]:
    """The checks whose verdict was not the same in every run, with which run gave which verdict.

    A check that some runs have and others lack counts as a difference too."""
    checks = dict.fromkeys(check for run in runs for check in run)
    found: dict[str, Spread] = {}
    for check in checks:
        spread: Spread = {}
        for number, run in enumerate(runs, start=1):
            spread.setdefault(run.get(check, ABSENT), []).append(number)
        if len(spread) > 1:
            found[check] = spread
    return found


def tally(verdicts: Verdicts) -> str:
    """How many checks passed, failed, errored or were skipped."""

    def worst(verdict: str) -> str:
        outcomes = {part.partition(":")[0] for part in verdict.split(" + ")}
        return next((o for o in ("error", "failed", "skipped") if o in outcomes), "passed")

    counts = Counter(worst(verdict) for verdict in verdicts.values())
    return ", ".join(f"{count} {outcome}" for outcome, count in sorted(counts.items()))


def _numbers(runs: list[int]) -> str:
    """Run numbers as ranges: [1, 2, 3, 5] -> 'runs 1-3, 5'."""
    parts: list[str] = []
    start = previous = runs[0]
    for number in [*runs[1:], None]:
        if number is not None and number == previous + 1:
            previous = number
            continue
        parts.append(f"{start}" if start == previous else f"{start}-{previous}")
        if number is not None:
            start = previous = number
    return ("run " if len(runs) == 1 else "runs ") + ", ".join(parts)


def describe(found: dict[str, Spread]) -> str:
    lines = [f"{len(found)} check(s) gave different verdicts in different runs:"]
    for check, spread in found.items():
        lines.append(f"  {check}")
        for verdict, numbers in sorted(spread.items(), key=lambda item: -len(item[1])):
            shown = verdict if len(verdict) <= 300 else verdict[:297] + "..."
            lines.append(f"    {_numbers(numbers)}: {shown}")
    return "\n".join(lines)


def run_once(katas: str, katas_dir: Path, xml: Path, extra: Sequence[str]) -> tuple[int, float, str]:
    command = [
        sys.executable,
        "-m",
        "pytest",
        "--katas",
        katas,
        f"--katas-dir={katas_dir}",
        "-p",
        "no:cacheprovider",
        "-q",
        f"--junitxml={xml}",
        *extra,
    ]
    start = time.perf_counter()
    done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, errors="replace", check=False)
    return done.returncode, time.perf_counter() - start, done.stdout + done.stderr


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Run a kata selection N times in fresh processes and report any check whose "
        "verdict differed between runs (exit 1 if one did).",
        epilog="Arguments after -- go to pytest.",
    )
    parser.add_argument("--runs", type=int, default=20, help="how many runs (default 20)")
    parser.add_argument("--katas", default="all", help="the --katas selection (default all)")
    parser.add_argument(
        "--katas-dir",
        type=Path,
        default=REPO / "solutions",
        help="the implementations to check (default solutions/)",
    )
    parser.add_argument("--keep", type=Path, default=None, help="keep each run's JUnit XML in this folder")
    parser.add_argument(
        "--expect-pass",
        action="store_true",
        help="also fail (exit 1) if a check did not pass in some run: for the references",
    )
    parser.add_argument("pytest_args", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 2:
        parser.error("--runs must be at least 2: there is nothing to compare in one run")
    args.katas_dir = args.katas_dir.resolve()
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    folder = args.keep or Path(tempfile.mkdtemp(prefix="tfkatas-repeat-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{args.runs} runs of pytest --katas {args.katas} --katas-dir {args.katas_dir}", flush=True)
    runs: list[Verdicts] = []
    try:
        for number in range(1, args.runs + 1):
            xml = folder / f"run_{number}.xml"
            code, seconds, output = run_once(args.katas, args.katas_dir, xml, args.pytest_args)
            if code not in (0, 1) or not xml.is_file():
                tail = "\n".join(output.rstrip().splitlines()[-20:])
                print(f"run {number} did not finish (pytest exit code {code}):\n{tail}", file=sys.stderr)
                return 2
            runs.append(parse_junit(xml))
            print(f"run {number:>2}/{args.runs}: {tally(runs[-1])} ({seconds:.1f} s)", flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    found = differences(runs)
    failing = failing_runs(runs)
    if args.expect_pass:
        which = f": {_numbers(failing)}" if failing else ""
        print(f"{len(failing)} of {args.runs} runs had a check that did not pass{which}")
    if found:
        print(describe(found))
        return 1
    print(f"identical verdicts in all {args.runs} runs for all {len(runs[0])} checks ({tally(runs[0])})")
    return 1 if args.expect_pass and failing else 0


def failing_runs(runs: Sequence[Verdicts]) -> list[int]:
    """The runs (from 1) in which some check did not pass."""
    return [number for number, run in enumerate(runs, start=1) if any(v != "passed" for v in run.values())]


if __name__ == "__main__":
    sys.exit(main())
