"""The zoo watch: the on-disk tiny models are fingerprinted, and a check whose code wrote into one
fails with a message naming the files, and the model is rebuilt before the next check. A plugin
object of its own."""

from __future__ import annotations

import contextlib
import os
import shutil
import sys
from collections.abc import Generator
from pathlib import Path

import pytest

from pytest_tfkatas.harness import calls_of, fail, last_call_since

__all__ = ["ZooWatch"]


class ZooWatch:
    """Registered with ``tryfirst``: its wrappers hold the others, so a write into the zoo is what a
    check that also failed otherwise is failed for."""

    def __init__(self) -> None:
        self._zoo = _ZooWatch()
        #: how many calls the kata's function had when the current check's call began
        self._calls_before = 0

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        self._zoo.start()
        self._calls_before = sys.maxsize  # the set-up imports the learner's file, it calls nothing
        try:
            return (yield)
        except BaseException:
            if written := self._written(item):
                fail(written)
            raise

    @pytest.hookimpl(wrapper=True, tryfirst=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        self._calls_before = calls_of(item)
        self._zoo.add_new()
        try:
            result = yield
        except BaseException:
            if written := self._written(item):
                fail(written)
            raise
        if written := self._written(item):
            fail(written)
        return result

    def _written(self, item: pytest.Item) -> str | None:
        from pytest_tfkatas import zoo

        changed = self._zoo.check()
        if not changed:
            return None
        call = last_call_since(item, self._calls_before)
        lines = [f"Called {call}."] if call else []
        for name, files in changed.items():
            listed = ", ".join(files[:4]) + (f" and {len(files) - 4} more" if len(files) > 4 else "")
            lines.append(
                f"Your code wrote into the tiny model's own folder, {zoo.expression_for(name) or name} "
                f"({listed}): every check loads the model from there, so it has been rebuilt."
            )
        lines.append(
            "Save into a folder of your own, e.g. the one the check passes, never into the folder a "
            "model or tokenizer was loaded from."
        )
        return "\n".join(lines)


class _ZooWatch:
    """Fingerprints of the zoo's model folders: (size, mtime, ctime) of every file.

    About 120 files, ~2 ms a check. A folder whose files changed, appeared or went away since the
    last check is removed and rebuilt. A folder that appears during a check (a model or variant
    built for it) is judged by the zoo's marker file, which a build writes last: a file changed
    after it was written by the check. We run as root often enough that file permissions cannot
    protect the zoo.
    """

    def __init__(self) -> None:
        self.root: Path | None = None
        self.prints: dict[str, dict[str, tuple[int, int, int]]] | None = None

    def start(self) -> None:
        if self.prints is None:
            from pytest_tfkatas import zoo

            self.root = zoo.cache_root()
            self.prints = self._scan()

    def _folders(self) -> list[os.DirEntry[str]]:
        assert self.root is not None
        try:
            return [e for e in os.scandir(self.root) if not e.name.startswith(".") and e.is_dir()]
        except OSError:
            return []

    def _scan(self, only: set[str] | None = None) -> dict[str, dict[str, tuple[int, int, int]]]:
        from pytest_tfkatas import zoo

        found: dict[str, dict[str, tuple[int, int, int]]] = {}
        for folder in self._folders():
            if only is not None and folder.name not in only:
                continue
            files = {}
            for directory, _, names in os.walk(folder.path):
                for name in names:
                    path = os.path.join(directory, name)
                    with contextlib.suppress(OSError):
                        stat = os.stat(path, follow_symlinks=False)
                        files[os.path.relpath(path, folder.path)] = (
                            stat.st_size,
                            stat.st_mtime_ns,
                            stat.st_ctime_ns,
                        )
            if zoo.MARKER in files:  # a complete build; others are not (yet) the zoo's
                found[folder.name] = files
        return found

    def add_new(self) -> None:
        """Fingerprint the folders built since the last look (by a check's set-up): one listing."""
        if self.prints is None:
            return
        new = {folder.name for folder in self._folders()} - self.prints.keys()
        if new:
            self.prints.update(self._scan(only=new))

    def check(self) -> dict[str, list[str]]:
        """The model folders changed since the last check (name -> changed files), repaired."""
        from pytest_tfkatas import zoo

        if self.prints is None:
            return {}
        now = self._scan()
        changed = {}
        for name, after in now.items():
            before = self.prints.get(name)
            if before is None:  # built during this check: nothing may be newer than its marker
                _, marker_mtime, marker_ctime = after[zoo.MARKER]
                files = sorted(
                    path
                    for path, (_, mtime, ctime) in after.items()
                    if mtime > marker_mtime or ctime > marker_ctime
                )
            else:
                files = sorted(p for p in before.keys() | after.keys() if before.get(p) != after.get(p))
            if files:
                changed[name] = files
        for name, before in self.prints.items():
            if name not in now:  # the folder, or its marker, went away
                changed[name] = sorted(before)
        if changed:
            for name in changed:
                self._repair(name)
            now = self._scan()
        self.prints = now
        return changed

    def _repair(self, name: str) -> None:
        """Remove the model's folder and build it again (the zoo's own deterministic build)."""
        from pytest_tfkatas import zoo

        assert self.root is not None
        shutil.rmtree(self.root / name, ignore_errors=True)
        zoo.rebuild(name)
