"""Where things live. A kata's files are derived from its topic and name (see catalogue.py)."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["CHECKS_DIR", "REFERENCE_DIR", "kata_of_path", "shown"]

#: The hidden checks, inside the package: ``checks/<topic>/test_<name>.py``.
CHECKS_DIR = Path(str(files("pytest_tfkatas").joinpath("checks")))
#: The reference solutions: the repository's ``solutions/<topic>/<name>.py``.
REFERENCE_DIR = Path(__file__).resolve().parent.parent / "solutions"


def kata_of_path(path: Path | str) -> tuple[str, str] | None:
    """(topic, kata name) of a hidden check file, or None for any other file."""
    path = Path(path)
    if not path.name.startswith("test_") or path.suffix != ".py":
        return None
    if path.parent.parent.name != "checks":
        return None
    return path.parent.name, path.stem.removeprefix("test_")


def shown(path: Path) -> str:
    """A path as the learner should read it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
