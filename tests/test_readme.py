"""README.md stays true to the catalogue and to CI."""

from __future__ import annotations

import re

from tests.kata_runs import CATALOGUE, REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def _expected_table() -> str:
    rows = ["| topic | kata | level | seed question |", "| --- | --- | --- | --- |"]
    rows += [f"| {k.topic} | `{k.name}` | {k.level} | {k.seed} |" for k in CATALOGUE.katas]
    return "\n".join(rows)


def test_the_readme_lists_every_kata_of_the_catalogue_in_order() -> None:
    expected = _expected_table()
    assert expected in README, f"README's kata table should read:\n{expected}"


def test_ci_runs_the_commands_the_readme_gives() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line for line in ci.splitlines() if line and not line.startswith(("#", " ", "set ", "cd "))]
    for command in commands:
        if re.match(r"(TFKATAS_ZOO_DIR|export)\b", command):
            continue  # CI's own fresh zoo cache
        assert command in README, f".ci/run runs {command!r}, which README.md does not give"
