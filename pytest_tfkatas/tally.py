"""The run's tally: what each selected kata's checks gave, counted where pytest-xdist replays the
reports (the controller), in collection order.

A plugin object of its own: it learns the collection order, tags every check with its kata and
topic (``user_properties``, which also reach ``--junitxml``), and records each report's outcome
and message in the kata's ``KataRun``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path

import pytest

from pytest_tfkatas.paths import kata_of_path
from pytest_tfkatas.results import KataRun

__all__ = ["TOTAL_PROPERTY", "Tally"]

#: user_properties key: how many checks the kata has in all, before any deselection
TOTAL_PROPERTY = "tfkatas_checks_in_kata"


class Tally:
    def __init__(self, names: Iterable[str]) -> None:
        self.runs: dict[str, KataRun] = {name: KataRun() for name in names}
        self.collected: Counter[str] = Counter()
        #: kata -> check name (the node id's last part) -> its place in collection order
        self.order: dict[str, dict[str, int]] = {}

    def forget(self, name: str) -> None:
        """Tally ``name``'s checks anew (watch mode, after a save)."""
        self.runs[name] = KataRun(total=self.collected[name] or None)

    def sorted_run(self, name: str) -> KataRun:
        run = self.runs[name]
        run.sort(self.order.get(name, {}))
        return run

    # -- hooks ----------------------------------------------------------------------------

    def pytest_itemcollected(self, item: pytest.Item) -> None:
        found = kata_of_path(item.path)
        if found:
            self.collected[found[1]] += 1

    @pytest.hookimpl(optionalhook=True)
    def pytest_xdist_node_collection_finished(self, node: object, ids: list[str]) -> None:
        """The controller of a pytest-xdist run learns the collection order from its workers."""
        if not self.order:
            self._remember_order(ids)

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._remember_order([item.nodeid for item in session.items])
        for item in session.items:
            found = kata_of_path(item.path)
            if found:
                # kata and topic also reach --junitxml as <property> elements, for autograders
                item.user_properties.extend(
                    [("kata", found[1]), ("topic", found[0]), (TOTAL_PROPERTY, self.collected[found[1]])]
                )

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        found = kata_of_path(report.location[0]) or kata_of_path(report.nodeid.split("::")[0])
        if found is None or found[1] not in self.runs:
            return
        run = self.runs[found[1]]
        for key, value in report.user_properties:
            if key == TOTAL_PROPERTY:
                run.total = int(value)  # type: ignore[call-overload]
        check = report.nodeid.split("::")[-1]
        if report.failed:
            run.record(check, "failed", failure_message(report))
        elif report.skipped:
            run.record(check, "skipped", skip_message(report))
        elif report.when == "call":
            run.record(check, "passed", "")

    def _remember_order(self, nodeids: list[str]) -> None:
        for index, nodeid in enumerate(nodeids):
            # node ids are relative to the rootdir ("debugging/test_x.py::..." outside a checkout)
            file, _, check = nodeid.partition("::")
            name = Path(file).stem.removeprefix("test_")
            if name in self.runs:
                self.order.setdefault(name, {})[check.split("::")[-1]] = index


def failure_message(report: pytest.TestReport) -> str:
    """The message a learner reads for a failed check: its crash line, without pytest's "Failed: "."""
    longrepr = report.longrepr
    crash = getattr(longrepr, "reprcrash", None)
    text = crash.message if crash is not None else str(longrepr)
    return text.strip().removeprefix("Failed: ")


def skip_message(report: pytest.TestReport) -> str:
    """Why a check was skipped, without pytest's "Skipped: "."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)
