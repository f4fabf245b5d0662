"""The learner's progress: a small dataclass kept in pytest's cache, one record per katas folder.

Loaded defensively: a record that is not what this version writes is discarded with a one-line
warning, never a crash. Written only when something changed, and atomically (a temporary file
renamed over the record), so an interrupted write never leaves half a record.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from pytest_tfkatas.paths import write_atomically

__all__ = [
    "FORMAT",
    "KataProgress",
    "Progress",
    "cache_key",
    "folder_id",
    "load",
    "now",
    "save",
    "seconds_between",
]

FORMAT = 1


class Cache(Protocol):
    def get(self, key: str, default: Any) -> Any: ...
    def set(self, key: str, value: object) -> None: ...


@dataclass
class KataProgress:
    #: runs in which the kata's checks ran to a verdict
    attempts: int = 0
    #: how many rungs of the hint ladder the learner has seen
    hints_shown: int = 0
    #: ISO timestamps (UTC)
    first_attempt: str | None = None
    first_solved: str | None = None
    #: "practice" or "interview": the mode of the run that first solved the kata
    solved_in: str | None = None
    #: interview mode: its own clock (from the first interview run of the kata to its solve)
    #: and its own count of runs that reached a verdict
    interview_started: str | None = None
    interview_solved: str | None = None
    interview_attempts: int = 0
    #: the last run that reached a verdict failed, after the kata had been solved
    failing_now: bool = False
    #: a digest of the kata's file at its last failing practice run: a hint climbs only when the
    #: file has changed since (a real new attempt)
    failed_source: str | None = None

    @property
    def solved(self) -> bool:
        """Solved at some time: the reference is the learner's to see."""
        return self.first_solved is not None

    @property
    def passing(self) -> bool:
        """Solved, and not failing since: what "solved" means in every count and table."""
        return self.solved and not self.failing_now

    @property
    def status(self) -> str:
        """One word for the kata, the same in every table: "solved", "regressed" (solved before,
        failing now), "attempted" or "new"."""
        if self.solved:
            return "regressed" if self.failing_now else "solved"
        return "attempted" if self.attempts else "new"

    @property
    def solved_in_practice_before_interview(self) -> bool:
        """Solved in practice before any interview met it: an interview does not score it."""
        return self.solved_in == "practice" and self.interview_started is None

    @property
    def seconds_to_solve(self) -> float | None:
        """From the first attempt to the first solve, in practice or interview mode alike."""
        return seconds_between(self.first_attempt, self.first_solved)

    @property
    def interview_seconds(self) -> float | None:
        return seconds_between(self.interview_started, self.interview_solved)


@dataclass
class Progress:
    katas_dir: str
    katas: dict[str, KataProgress] = field(default_factory=dict)

    def of(self, name: str) -> KataProgress:
        return self.katas.setdefault(name, KataProgress())

    def clear(self, name: str) -> bool:
        """Forget a kata's progress; whether there was any."""
        return self.katas.pop(name, KataProgress()) != KataProgress()

    def to_json(self) -> dict[str, Any]:
        katas = {name: asdict(entry) for name, entry in sorted(self.katas.items()) if entry != KataProgress()}
        return {"format": FORMAT, "katas_dir": self.katas_dir, "katas": katas}


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def seconds_between(start: str | None, end: str | None) -> float | None:
    if start is None or end is None:
        return None
    return max((datetime.fromisoformat(end) - datetime.fromisoformat(start)).total_seconds(), 0.0)


def folder_id(katas_dir: Path, root: Path | None) -> str:
    """The katas folder as the record names it: its path from the rootdir when it is inside it
    (``katas``), so that the record follows a workspace that is copied or moved with its
    ``.pytest_cache``; its absolute path otherwise."""
    folder = katas_dir.resolve()
    if root is not None and folder.is_relative_to(root.resolve()):
        return folder.relative_to(root.resolve()).as_posix() or "."
    return str(folder)


def cache_key(katas_dir: Path, root: Path | None = None) -> str:
    """One record per katas folder: checking solutions/ never marks the learner's katas solved."""
    return _key(folder_id(katas_dir, root))


def _key(folder: str) -> str:
    digest = hashlib.sha256(folder.encode()).hexdigest()[:16]
    return f"tfkatas/progress/{digest}"


def _kata_progress(raw: object) -> KataProgress:
    if not isinstance(raw, dict):
        raise ValueError("a kata entry is not a mapping")
    known = {f.name: f for f in fields(KataProgress)}
    if set(raw) - set(known):
        raise ValueError(f"unknown fields {sorted(set(raw) - set(known))}")
    entry = KataProgress(**raw)
    if not isinstance(entry.attempts, int) or not isinstance(entry.hints_shown, int):
        raise ValueError("counts must be integers")
    if not isinstance(entry.interview_attempts, int):
        raise ValueError("counts must be integers")
    if not isinstance(entry.failing_now, bool):
        raise ValueError("failing_now must be true or false")
    if entry.failed_source is not None and not isinstance(entry.failed_source, str):
        raise ValueError("failed_source must be a string")
    if entry.attempts < 0 or entry.hints_shown < 0 or entry.interview_attempts < 0:
        raise ValueError("counts must not be negative")
    if entry.solved_in not in (None, "practice", "interview"):
        raise ValueError(f"solved_in is {entry.solved_in!r}")
    for stamp in (entry.first_attempt, entry.first_solved, entry.interview_started, entry.interview_solved):
        if stamp is not None:
            datetime.fromisoformat(stamp)  # ValueError (or TypeError) when it is not a timestamp
    return entry


def load(
    cache: Cache | None, katas_dir: Path, known_katas: set[str], root: Path | None = None
) -> tuple[Progress, list[str]]:
    """The progress recorded for ``katas_dir`` (in the rootdir ``root``), and one-line warnings for
    what was discarded. A record written by an older version, under the folder's absolute path,
    is taken over."""
    progress = Progress(folder_id(katas_dir, root))
    if cache is None:
        return progress, []
    key = _key(progress.katas_dir)
    raw = cache.get(key, None)
    absolute = str(katas_dir.resolve())
    if raw is None and progress.katas_dir != absolute:
        legacy = cache.get(_key(absolute), None)
        if isinstance(legacy, dict) and legacy.get("katas_dir") == absolute:
            raw = {**legacy, "katas_dir": progress.katas_dir}
    if raw is None:
        # pytest's cache hands back the default for a value that is not JSON: look for the file.
        # Cache._getvaluepath is private; without it a corrupt record is only dropped silently.
        # tests/test_private_apis.py fails if it changes.
        value_path = getattr(cache, "_getvaluepath", None)
        if value_path is not None and value_path(key).is_file():
            return progress, ["tfkatas: discarded a progress record that is not valid JSON"]
        return progress, []
    if not isinstance(raw, dict) or raw.get("format") != FORMAT or not isinstance(raw.get("katas"), dict):
        return progress, [f"tfkatas: discarded a progress record of an unknown format ({_shorten(raw)})"]
    if raw.get("katas_dir") != progress.katas_dir:
        return progress, ["tfkatas: discarded a progress record that belongs to another katas folder"]
    warnings = []
    for name, entry in raw["katas"].items():
        if name not in known_katas:
            continue  # a kata this version no longer has: nothing to show
        try:
            progress.katas[name] = _kata_progress(entry)
        except (TypeError, ValueError) as error:
            warnings.append(f"tfkatas: discarded the corrupt progress of {name} ({error})")
    return progress, warnings


def save(cache: Cache, progress: Progress) -> None:
    """Write the record atomically. Falls back to the cache's own writer where its layout is unknown.

    Cache.set writes the file in place (a crash mid-write leaves half a record), so the record is
    written beside it and renamed over it, at the path pytest's private Cache._getvaluepath gives;
    Cache._ensure_cache_dir_and_supporting_files adds pytest's README, .gitignore and CACHEDIR.TAG
    as Cache.set would. tests/test_private_apis.py fails if either changes.
    """
    key = _key(progress.katas_dir)
    value_path = getattr(cache, "_getvaluepath", None)
    if value_path is None:
        cache.set(key, progress.to_json())
        return
    path: Path = value_path(key)
    ensure_cache_dir = getattr(cache, "_ensure_cache_dir_and_supporting_files", None)
    if ensure_cache_dir is not None:
        ensure_cache_dir()  # pytest's README.md, .gitignore and CACHEDIR.TAG in .pytest_cache
    write_atomically(path, json.dumps(progress.to_json(), indent=2, sort_keys=True))


def _shorten(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:56] + " ..."
