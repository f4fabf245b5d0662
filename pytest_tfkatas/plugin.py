"""The pytest plugin's hooks: options, the info commands, and a kata session registered only under
``--katas``.

Without a kata option the plugin stays out of the way and imports nothing heavy. The info
commands (``--katas-list``, ``--katas-reset``, ``--katas-init``) behave like pytest's own
``--fixtures`` or ``--cache-show``: they print, change files where asked, and run no tests.
"""

from __future__ import annotations

import pytest

HELP = {
    "katas": "run the hidden checks of these katas: comma-separated topic slugs, kata names, "
    "or 'all' (e.g. --katas model_loading,generate_text)",
    "katas_dir": "the folder of implementations to check (default: katas/ in the rootdir); "
    "--katas-dir solutions checks the reference solutions",
    "katas_solutions": "also show the reference solution of every kata solved so far",
    "katas_list": "list the katas (of these topics or katas, default all) with your progress, "
    "and run nothing",
    "katas_reset": "restore the pristine stubs of these katas or topics (your file is kept as a "
    "backup beside it) and clear their progress; runs nothing",
    "katas_init": "create a workspace of pristine stubs in DIR (default: the current folder), "
    "never overwriting a file; runs nothing",
    "katas_level": "only the katas of this level, within any selection (alone: all katas of it)",
    "katas_interview": "interview mode: no hints and no reveals; the time from first run to solve "
    "is recorded per kata, and the run ends with a score table",
    "katas_report": "write a JSON report of the selected katas to FILE: status, attempts, hints, "
    "time to solve, and each check's outcome and message",
    "katas_timeout": "fail a check of a kata after this many seconds (default 60; 0 turns the limit off)",
    "katas_watch": "after the run, stay alive and re-check a kata each time its file is saved",
}
LEVEL_CHOICES = ("basic", "intermediate", "advanced")
#: Options that only make sense in a kata run.
RUN_OPTIONS = ("katas_dir", "katas_interview", "katas_report", "katas_timeout", "katas_watch")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tfkatas", "coding katas for Hugging Face Transformers")
    group.addoption("--katas", metavar="NAMES", default=None, help=HELP["katas"])
    group.addoption("--katas-dir", metavar="DIR", default=None, help=HELP["katas_dir"])
    group.addoption("--katas-solutions", action="store_true", default=False, help=HELP["katas_solutions"])
    group.addoption(
        "--katas-list", metavar="NAMES", nargs="?", const="all", default=None, help=HELP["katas_list"]
    )
    group.addoption("--katas-reset", metavar="NAMES", default=None, help=HELP["katas_reset"])
    group.addoption(
        "--katas-init", metavar="DIR", nargs="?", const=".", default=None, help=HELP["katas_init"]
    )
    group.addoption("--katas-level", choices=LEVEL_CHOICES, default=None, help=HELP["katas_level"])
    group.addoption("--katas-interview", action="store_true", default=False, help=HELP["katas_interview"])
    group.addoption("--katas-report", metavar="FILE", default=None, help=HELP["katas_report"])
    group.addoption(
        "--katas-timeout", metavar="SECONDS", type=float, default=None, help=HELP["katas_timeout"]
    )
    group.addoption("--katas-watch", action="store_true", default=False, help=HELP["katas_watch"])
    parser.addini("katas_timeout", help=HELP["katas_timeout"], default="60")


def pytest_cmdline_main(config: pytest.Config) -> int | pytest.ExitCode | None:
    if config.getoption("katas_init") is not None:
        from pytest_tfkatas import workspace

        return workspace.run_info_command(config, workspace.init)
    if config.getoption("katas_list") is not None:
        from pytest_tfkatas import workspace

        return workspace.run_info_command(config, workspace.show_list)
    if config.getoption("katas_reset") is not None:
        from pytest_tfkatas import workspace

        return workspace.run_info_command(config, workspace.reset)
    return None


def _is_info_command(config: pytest.Config) -> bool:
    return any(config.getoption(name) is not None for name in ("katas_init", "katas_list", "katas_reset"))


def pytest_configure(config: pytest.Config) -> None:
    if _is_info_command(config):
        return
    if config.getoption("katas") is None and config.getoption("katas_level") is not None:
        config.option.katas = "all"  # --katas-level alone: every kata of that level
    if config.getoption("katas") is None:
        for name in RUN_OPTIONS:
            if config.getoption(name) not in (None, False):
                flag = "--" + name.replace("_", "-")
                raise pytest.UsageError(f"{flag} needs --katas: say which katas to check")
        return
    from pytest_tfkatas import fixtures, guard
    from pytest_tfkatas.session import SESSION_KEY, KataSession

    session = KataSession(config)
    config.stash[SESSION_KEY] = session
    config.pluginmanager.register(session, "tfkatas-session")
    config.pluginmanager.register(fixtures, "tfkatas-fixtures")
    config.pluginmanager.register(guard.Guard(config), "tfkatas-guard")
