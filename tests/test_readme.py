"""README.md stays true to the catalogue and to CI."""

from __future__ import annotations

import re
from pathlib import Path

from pytest_tfkatas import dev
from tests.kata_runs import CATALOGUE, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_readme_lists_every_kata_of_the_catalogue_in_order() -> None:
    assert dev.with_kata_table(README, CATALOGUE) == README, (
        f"README.md's kata table is stale: run {dev.REWRITE}"
    )
    for kata in CATALOGUE.katas:
        assert f"| {kata.topic} | `{kata.name}` | {kata.level} | {kata.question_label} |" in README


def test_the_readme_command_rewrites_a_stale_table_and_nothing_else(tmp_path: Path) -> None:
    stale = README.replace(f"`{CATALOGUE.katas[0].name}`", "`a_kata_that_was_renamed`")
    file = tmp_path / "README.md"
    file.write_text(stale, encoding="utf-8")
    assert dev.main(["readme", "--check", "--file", str(file)]) == 1
    assert file.read_text(encoding="utf-8") == stale, "--check changes nothing"
    assert dev.main(["readme", "--file", str(file)]) == 0
    assert file.read_text(encoding="utf-8") == README
    assert dev.main(["readme", "--check", "--file", str(file)]) == 0


def test_ci_runs_the_commands_the_readme_gives() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", " ", "set ", "cd "))]
    for command in commands:
        if re.match(r"(TFKATAS_ZOO_DIR|export)\b", command):
            continue  # CI's own fresh zoo cache
        assert command in README, f".ci/run runs {command!r}, which README.md does not give"
