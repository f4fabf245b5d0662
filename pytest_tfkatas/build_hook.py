"""The wheel's build hook (hatchling): it bundles the pristine stubs and the reference solutions.

A wheel carries ``katas/`` (for ``--katas-init`` and ``--katas-reset``) and ``solutions/`` (revealed
once a kata passes) as package data under ``pytest_tfkatas/bundled/``; ``TFKATAS_WITHOUT_SOLUTIONS=1``
leaves ``solutions/`` out, for learners whose instructor grades them. The working tree they come
from may have been used for practice: a solved stub, a ``.py.bak`` left by ``--katas-reset``,
bytecode. So the hook bundles only the ``.py`` files, and refuses to build (naming the files) when a
stub is not pristine:

- in a git checkout, a stub that differs from the committed version, or a ``.py`` file in
  ``katas/`` that git does not track;
- outside one (a source distribution), a stub whose code no longer raises NotImplementedError.

This file is not part of the wheel (see ``[tool.hatch.build.targets.wheel]`` in pyproject.toml).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

#: Where the bundled folders go inside the wheel.
BUNDLED = "pytest_tfkatas/bundled"


class EditedStubs(RuntimeError):
    """The working tree's stubs are not the pristine ones."""


def python_files(folder: Path) -> list[Path]:
    """The ``.py`` files under ``folder``, bytecode folders left out, sorted."""
    return sorted(path for path in folder.rglob("*.py") if "__pycache__" not in path.parts)


def _git(root: Path, *args: str) -> list[str] | None:
    """The lines git prints, or None when ``root`` is not a git work tree (or git is missing)."""
    if shutil.which("git") is None:
        return None
    result = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return None
    return [line for line in result.stdout.splitlines() if line.strip()]


def edited_stubs(root: Path) -> list[str]:
    """The stubs under ``root/katas`` that are not pristine (paths relative to ``root``)."""
    inside = _git(root, "rev-parse", "--is-inside-work-tree")
    if inside == ["true"] and _git(root, "ls-files", "--", "katas"):
        changed = _git(root, "diff", "--name-only", "HEAD", "--", "katas") or []
        untracked = _git(root, "ls-files", "--others", "--exclude-standard", "--", "katas") or []
        return sorted({path for path in [*changed, *untracked] if path.endswith(".py")})
    return [
        path.relative_to(root).as_posix()
        for path in python_files(root / "katas")
        if path.name != "__init__.py" and "raise NotImplementedError" not in path.read_text(encoding="utf-8")
    ]


def bundled_files(root: Path) -> dict[str, str]:
    """force_include for the wheel: each stub and reference ``.py`` file -> its place in the wheel.
    Raises EditedStubs when a stub is not pristine."""
    edited = edited_stubs(root)
    if edited:
        raise EditedStubs(
            "pytest-tfkatas: the wheel would ship edited stubs as the pristine ones: "
            + ", ".join(edited)
            + ". Build from a clean checkout, or restore them (git checkout -- katas/, and delete "
            "the files git does not track); commit them first if they are the new stubs."
        )
    folders = ("katas",) if without_solutions() else ("katas", "solutions")
    return {
        str(path): f"{BUNDLED}/{path.relative_to(root).as_posix()}"
        for folder in folders
        for path in python_files(root / folder)
    }


def without_solutions() -> bool:
    """``TFKATAS_WITHOUT_SOLUTIONS=1`` builds a learner's wheel without the reference solutions (an
    instructor grades with their own copy; the reveal then says the instructor has them)."""
    return os.environ.get("TFKATAS_WITHOUT_SOLUTIONS", "").strip().lower() in ("1", "true", "yes")


class BundleHook(BuildHookInterface):  # type: ignore[misc]
    """Adds the pristine stubs and the reference solutions to the wheel."""

    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel" or version == "editable":
            return  # an editable install reads the checkout's folders (pytest_tfkatas/paths.py)
        build_data["force_include"].update(bundled_files(Path(self.root)))
