"""GitHub Classroom: ``pytest --katas-classroom [NAMES]`` writes ``.github/workflows/classroom.yml``
for a workspace, so that each learner's repository grades itself on GitHub Actions.

One autograding step per kata (GitHub Classroom's command grader: ``pytest --katas NAME``, whose
exit code is the verdict, worth that kata's points from ``--katas-points``), after one step that
installs torch (a CPU build) and this package, then Classroom's reporter step. No pytest here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path

from pytest_tfkatas.catalogue import Kata
from pytest_tfkatas.gradebook import Points

__all__ = ["WORKFLOW", "install_command", "workflow"]

#: Where GitHub Classroom reads the workflow of an assignment's template repository.
WORKFLOW = Path(".github") / "workflows" / "classroom.yml"
#: The actions of GitHub Classroom's autograder (github.com/education).
COMMAND_GRADER = "education/autograding-command-grader@v1"
REPORTER = "education/autograding-grading-reporter@v1"
#: Minutes a kata's step may take, the one-time set-up included in the install step.
STEP_TIMEOUT = 10


def install_command(workspace: Path) -> str:
    """How the workflow installs pytest-tfkatas: a wheel kept in the workspace (README: a bootcamp
    hands out the wheel), else the package by name."""
    wheels = sorted(workspace.glob("pytest_tfkatas-*.whl"))
    target = f"./{wheels[-1].name}" if wheels else "pytest-tfkatas"
    # The CPU build of torch: the runner has no GPU, and PyPI's default build is several GB.
    return (
        "python -m pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu\n"
        f'python -m pip install "{target}[all]"'
    )


def _step_id(kata: Kata) -> str:
    return re.sub(r"[^a-z0-9-]", "-", kata.name.replace("_", "-"))


def _quoted(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid YAML double-quoted scalar


def _score(points: float) -> str:
    return str(int(points)) if float(points).is_integer() else repr(points)


def workflow(katas: Sequence[Kata], points: Points, install: str) -> str:
    """The text of classroom.yml."""
    lines = [
        "# Written by pytest --katas-classroom: one autograding step per kata, worth its points.",
        "name: Autograding Tests",
        '"on":',
        "  - push",
        "  - workflow_dispatch",
        "  - repository_dispatch",
        "permissions:",
        "  checks: write",
        "  actions: read",
        "  contents: read",
        "jobs:",
        "  run-autograding-tests:",
        "    runs-on: ubuntu-latest",
        "    if: github.actor != 'github-classroom[bot]'",
        "    steps:",
        "      - name: Checkout code",
        "        uses: actions/checkout@v5",
        "      - name: Set up Python",
        "        uses: actions/setup-python@v6",
        "        with:",
        '          python-version: "3.11"',
        "      - name: Install pytest-tfkatas",
        "        run: |",
        *(f"          {line}" for line in install.splitlines()),
    ]
    for kata in katas:
        lines += [
            f"      - name: {kata.name}",
            f"        id: {_step_id(kata)}",
            f"        uses: {COMMAND_GRADER}",
            "        with:",
            f"          test-name: {kata.name}",
            '          setup-command: ""',
            f"          command: {_quoted(f'pytest --katas {kata.name}')}",
            f"          timeout: {STEP_TIMEOUT}",
            f"          max-score: {_score(points.of(kata.name))}",
        ]
    lines += [
        "      - name: Autograding Reporter",
        f"        uses: {REPORTER}",
        "        env:",
        *(
            f"          {_step_id(kata).upper()}_RESULTS: "
            + _quoted("${{ steps." + _step_id(kata) + ".outputs.result }}")
            for kata in katas
        ),
        "        with:",
        f"          runners: {','.join(_step_id(kata) for kata in katas)}",
    ]
    return "\n".join(lines) + "\n"
