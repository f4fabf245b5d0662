"""Where things live. A kata's files are derived from its topic and name (see catalogue.py).

An installed wheel carries the pristine stubs and the reference solutions as package data
(``pytest_tfkatas/bundled/``); a checkout of the repository has them at its top level, where
``katas/`` is also the learner's own folder, so its pristine stubs are read from git.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import tempfile
from importlib.resources import files
from pathlib import Path, PurePosixPath

__all__ = [
    "CHECKS_DIR",
    "REFERENCE_DIR",
    "StubUnavailable",
    "kata_of_path",
    "pristine_stub",
    "shown",
    "write_atomically",
]

_PACKAGE = Path(str(files("pytest_tfkatas")))
#: The hidden checks, inside the package: ``checks/<topic>/test_<name>.py``.
CHECKS_DIR = _PACKAGE / "checks"
#: Package data of an installed wheel: ``bundled/katas`` (stubs) and ``bundled/solutions``.
BUNDLED_DIR = _PACKAGE / "bundled"
#: A checkout of the repository, when the package runs from one (an editable install).
CHECKOUT_DIR = _PACKAGE.resolve().parent
#: The reference solutions: ``solutions/<topic>/<name>.py``.
REFERENCE_DIR = (
    BUNDLED_DIR / "solutions" if (BUNDLED_DIR / "solutions").is_dir() else CHECKOUT_DIR / "solutions"
)


class StubUnavailable(LookupError):
    """The pristine stub of a kata cannot be found in this installation."""


def pristine_stub(relpath: PurePosixPath) -> str:
    """The text of a kata's stub as shipped: ``relpath`` is ``<topic>/<name>.py``."""
    bundled = BUNDLED_DIR / "katas" / relpath
    if bundled.is_file():
        return bundled.read_text(encoding="utf-8")
    # A checkout: katas/ may hold the learner's work already; the shipped stub is in git's HEAD.
    try:
        shown_file = subprocess.run(
            ["git", "-C", str(CHECKOUT_DIR), "show", f"HEAD:katas/{relpath}"],
            capture_output=True,
            text=True,
            check=False,
        )
    except OSError:
        shown_file = None
    if shown_file is not None and shown_file.returncode == 0 and "NotImplementedError" in shown_file.stdout:
        return shown_file.stdout
    checkout_file = CHECKOUT_DIR / "katas" / relpath
    if checkout_file.is_file():
        text = checkout_file.read_text(encoding="utf-8")
        if "NotImplementedError" in text:
            return text
    raise StubUnavailable(
        f"cannot find the pristine stub of katas/{relpath} in this installation "
        f"({CHECKOUT_DIR}): neither the installed package data nor git's HEAD holds it. "
        "Reinstall pytest-tfkatas, or in a checkout run: git checkout origin/main -- katas/" + str(relpath)
    )


def kata_of_path(path: Path | str) -> tuple[str, str] | None:
    """(topic, kata name) of a hidden check file, or None for any other file."""
    path = Path(path)
    if not path.name.startswith("test_") or path.suffix != ".py":
        return None
    if path.parent.parent.name != "checks":
        return None
    return path.parent.name, path.stem.removeprefix("test_")


#: The parameter that grading adds to every check: the learner whose files the check meets.
LEARNER_PARAM = "tfkatas_learner"


def learner_of(node: object) -> str | None:
    """The learner a check item checks when grading (its ``tfkatas_learner`` parameter), else None."""
    callspec = getattr(node, "callspec", None)
    params = getattr(callspec, "params", None) or {}
    value = params.get(LEARNER_PARAM)
    return value if isinstance(value, str) else None


def shown(path: Path) -> str:
    """A path as the learner should read it: relative to the current folder when below it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file renamed over it: a reader, or a run
    killed mid-write, sees the old file or the new one, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
