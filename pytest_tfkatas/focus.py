"""Focused output for a kata run: the tfkatas report is what the learner reads, so pytest's own
per-check output stays out of its way unless asked for.

At pytest's default verbosity (no ``-v``, no ``-q``):

- no progress letters and no file names while the checks run (``F.F.``): the report counts them;
  on a terminal a progress bar (rich) says which kata is being checked instead, and is gone when
  the run ends; on anything else (a pipe, a CI log) nothing is drawn;
- no failure sections and no short test summary: the report shows each failing kata's first
  failing check with its message. ``-v``, ``--tb=...`` or ``-r...`` bring pytest's own back.

Watch mode and interview mode keep hiding pytest's failure sections at any verbosity (see
``session.py``). A plugin object of its own, registered by ``plugin.py`` under ``--katas``.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import pytest

__all__ = ["FocusedOutput", "sections_hidden"]

#: pytest's default of -r: failures and errors in the short test summary.
_DEFAULT_REPORTCHARS = "fE"


def sections_hidden(config: pytest.Config, *, always: bool) -> bool:
    """Hide pytest's failure sections and short summary (``always``: whatever the verbosity),
    unless the learner asked for them with ``--tb`` or ``-r``. Returns whether the failure sections
    are hidden."""
    verbose = config.get_verbosity() > 0
    if config.option.tbstyle == "auto":
        config.option.tbstyle = "no" if always or not verbose else "short"
    if config.option.reportchars == _DEFAULT_REPORTCHARS and (always or not verbose):
        config.option.reportchars = "N"  # "N": no short summary
    return config.option.tbstyle == "no"


class FocusedOutput:
    """Blank progress letters at the default verbosity, and a progress bar on a terminal."""

    def __init__(self, config: pytest.Config, *, bar: bool) -> None:
        self.config = config
        self.active = config.get_verbosity() == 0
        self.bar = bar and self.active
        self._progress: Any = None
        self._task: Any = None
        self._done = 0

    @pytest.hookimpl(trylast=True)
    def pytest_sessionstart(self, session: pytest.Session) -> None:
        reporter = self.config.pluginmanager.getplugin("terminalreporter")
        if self.active and reporter is not None:
            reporter.showfspath = False  # no "model_loading/test_x.py" line per check file

    @pytest.hookimpl(wrapper=True)
    def pytest_report_teststatus(self, report: pytest.TestReport) -> Generator[None, Any, Any]:
        status = yield
        if self.active and status and isinstance(status, tuple) and len(status) == 3:
            category, _letter, word = status
            return category, "", word  # the category still counts in pytest's closing line
        return status

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if not self.bar or len(session.items) < 2:
            return
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        writer = self.config.get_terminal_writer()
        console = Console(force_terminal=True, width=max(writer.fullwidth, 60), highlight=False)
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            console=console,
            transient=True,
            auto_refresh=False,  # drawn only between checks, while pytest's capture is off
        )
        self._task = self._progress.add_task("checking", total=len(session.items))
        self._draw(lambda: self._progress.start())

    def pytest_runtest_logstart(self, nodeid: str, location: tuple[str, int | None, str]) -> None:
        if self._progress is None:
            return
        kata = kata_of_path_name(nodeid)
        self._draw(lambda: self._progress.update(self._task, description=f"checking {kata}"))

    def pytest_runtest_logfinish(self, nodeid: str) -> None:
        if self._progress is None:
            return
        self._done += 1
        self._draw(lambda: self._progress.update(self._task, completed=self._done))

    @pytest.hookimpl(tryfirst=True)
    def pytest_sessionfinish(self) -> None:
        if self._progress is not None:
            self._draw(lambda: self._progress.stop())
            self._progress = None

    def _draw(self, change: Any) -> None:
        """Apply ``change`` to the bar and redraw it, with pytest's output capture suspended (the
        bar is written to the terminal, not into a check's captured output)."""
        capture = self.config.pluginmanager.getplugin("capturemanager")
        if capture is None:
            change()
            self._progress.refresh()
            return
        with capture.global_and_fixture_disabled():
            change()
            if self._progress is not None:
                self._progress.refresh()


def kata_of_path_name(nodeid: str) -> str:
    """The kata a check's node id belongs to ("model_loading/test_generate_text.py::..." ->
    "generate_text")."""
    file = nodeid.partition("::")[0].rsplit("/", 1)[-1]
    return file.removeprefix("test_").removesuffix(".py")
