"""Output trimming: captured output and failure texts cut to a head and a tail, so a learner's code
that prints megabytes does not flood the terminal. A plugin object of its own."""

from __future__ import annotations

from collections.abc import Generator

import pytest

__all__ = ["MAX_LINE", "MAX_LINES", "MAX_MESSAGE", "MAX_SECTION", "OutputTrimming", "trim"]

#: Captured output (per section) and long failure texts are cut to a head and a tail.
MAX_SECTION = 5_000
MAX_MESSAGE = 2_000
MAX_LINE = 500
MAX_LINES = 120


class OutputTrimming:
    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(
        self, item: pytest.Item
    ) -> Generator[None, pytest.TestReport, pytest.TestReport]:
        report = yield
        _trim_report(report)
        return report


def trim(text: str, limit: int = MAX_SECTION) -> str:
    """``text`` cut to its head and tail, with a line saying how much was cut, if over ``limit``."""
    if len(text) <= limit:
        return text
    head_size, tail_size = limit * 2 // 3, limit // 4
    head, tail = text[:head_size], text[-tail_size:]
    # Cut at line ends where there are any nearby: whole lines read better.
    if (end := head.rfind("\n", head_size // 2)) > 0:
        head = head[: end + 1]
    if (start := tail.find("\n", 0, tail_size // 2)) >= 0:
        tail = tail[start + 1 :]
    cut = len(text) - len(head) - len(tail)
    return f"{head.rstrip(chr(10))}\n... {cut} characters cut ...\n{tail}"


def _trim_lines(lines: list[str]) -> list[str]:
    lines = [trim(line, MAX_LINE) for line in lines]
    if len(lines) <= MAX_LINES:
        return lines
    head, tail = MAX_LINES * 2 // 3, MAX_LINES // 4
    return [*lines[:head], f"... {len(lines) - head - tail} lines cut ...", *lines[-tail:]]


def _trim_report(report: pytest.TestReport) -> None:
    """Cut the captured output and the failure text of ``report`` to a readable size, in place."""
    report.sections = [(title, trim(content)) for title, content in report.sections]
    longrepr = report.longrepr
    if longrepr is None:
        return
    if isinstance(longrepr, str):
        report.longrepr = trim(longrepr)
        return
    if isinstance(longrepr, tuple):
        if len(longrepr) == 3 and isinstance(longrepr[2], str):
            report.longrepr = (longrepr[0], longrepr[1], trim(longrepr[2], MAX_MESSAGE))
        return
    chain = getattr(longrepr, "chain", None) or [
        (getattr(longrepr, "reprtraceback", None), getattr(longrepr, "reprcrash", None), None)
    ]
    for traceback, crash, _ in chain:
        if crash is not None and isinstance(getattr(crash, "message", None), str):
            crash.message = trim(crash.message, MAX_MESSAGE)
        for entry in getattr(traceback, "reprentries", None) or []:
            if isinstance(getattr(entry, "lines", None), list):
                entry.lines = _trim_lines(entry.lines)
            location = getattr(entry, "reprfileloc", None)
            if location is not None and isinstance(getattr(location, "message", None), str):
                location.message = trim(location.message, MAX_LINE)
    sections = getattr(longrepr, "sections", None)
    if isinstance(sections, list):
        longrepr.sections = [(title, trim(content), sep) for title, content, sep in sections]  # type: ignore[union-attr]
