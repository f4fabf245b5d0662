"""The pytest plugin's hooks: options, the info commands, and a kata run's plugins, registered only
under ``--katas``.

Without a kata option the plugin stays out of the way and imports nothing heavy. The info
commands (``--katas-list``, ``--katas-reset``, ``--katas-init``, ``--katas-solutions`` alone)
behave like pytest's own ``--fixtures`` or ``--cache-show``: they print, change files where asked,
and run no tests.
"""

from __future__ import annotations

import dataclasses
import os
import sys
from typing import TYPE_CHECKING

import pytest

from pytest_tfkatas.options import OPTIONS_KEY, Options, add_options

if TYPE_CHECKING:
    from pytest_tfkatas.grading import GradeSession
    from pytest_tfkatas.session import KataSession


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_cmdline_main(config: pytest.Config) -> int | pytest.ExitCode | None:
    options = Options.from_config(config)
    if options.info_command is None:
        return None
    from pytest_tfkatas import workspace

    config.stash[OPTIONS_KEY] = options
    command = {
        "init": workspace.init,
        "list": workspace.show_list,
        "reset": workspace.reset,
        "solutions": workspace.show_solutions,
        "hint": workspace.show_hint,
        "classroom": workspace.write_classroom,
    }
    return workspace.run_info_command(config, command[options.info_command])


def pytest_configure(config: pytest.Config) -> None:
    options = Options.from_config(config)
    if options.info_command is not None:
        return
    if options.grade is not None and options.katas is None:
        options = dataclasses.replace(options, katas="all")  # grading: every kata unless told
    if options.katas is None and options.level is not None:
        options = dataclasses.replace(options, katas="all")  # --katas-level alone: every kata of it
    if options.katas is None:
        if given := options.run_options_given():
            raise pytest.UsageError(f"{given[0]} needs --katas: say which katas to check")
        return
    config.stash[OPTIONS_KEY] = options
    # First: the environment (the Hub's offline switches) is set before anything imports transformers.
    from pytest_tfkatas.environment import ProcessEnvironment

    register = config.pluginmanager.register
    register(ProcessEnvironment(config), "tfkatas-environment")

    from pytest_tfkatas import fixtures
    from pytest_tfkatas.focus import FocusedOutput
    from pytest_tfkatas.hygiene import ProcessHygiene
    from pytest_tfkatas.offline import OfflineSwitch
    from pytest_tfkatas.session import SESSION_KEY, KataSession
    from pytest_tfkatas.timelimit import TIME_LIMIT_PLUGIN, TimeLimit
    from pytest_tfkatas.trimming import OutputTrimming
    from pytest_tfkatas.zoowatch import ZooWatch

    session: KataSession | GradeSession
    if options.grade is not None:
        from pytest_tfkatas.grading import GradeSession

        session = GradeSession(config, options)
        config.stash[SESSION_KEY] = session  # type: ignore[assignment]
        register(session, "tfkatas-session")
    else:
        session = KataSession(config, options)
        config.stash[SESSION_KEY] = session
        register(session, "tfkatas-session")
        register(session.tally, "tfkatas-tally")
    register(fixtures, "tfkatas-fixtures")
    # The guards of every check: what a learner's misbehaving code may not do to the run. They
    # stand from the start of a check's set-up to the end of its teardown, also where watch mode
    # runs checks itself.
    register(TimeLimit(config, options, session.katas_dir), TIME_LIMIT_PLUGIN)
    register(ProcessHygiene(options, session.katas_dir, session.locate), "tfkatas-process-hygiene")
    register(OfflineSwitch(), "tfkatas-offline")
    register(ZooWatch(), "tfkatas-zoo-watch")
    register(OutputTrimming(), "tfkatas-output-trimming")
    # A terminal: pytest's capture is suspended while plugins are configured, so this is the real
    # standard output (a pipe or a CI log gets no progress bar).
    terminal = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
    register(FocusedOutput(config, bar=terminal and not options.watch), "tfkatas-focused-output")
