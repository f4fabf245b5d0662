"""The pytest plugin's hooks: options, and a kata session registered only under ``--katas``.

Without ``--katas`` the plugin stays out of the way and imports nothing heavy.
"""

from __future__ import annotations

import pytest

HELP = {
    "katas": "run the hidden checks of these katas: comma-separated topic slugs, kata names, "
    "or 'all' (e.g. --katas model_loading,generate_text)",
    "katas_dir": "the folder of implementations to check (default: katas/ in the rootdir); "
    "--katas-dir solutions checks the reference solutions",
    "katas_solutions": "also show the reference solution of every kata solved so far",
}


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tfkatas", "coding katas for Hugging Face Transformers")
    group.addoption("--katas", metavar="NAMES", default=None, help=HELP["katas"])
    group.addoption("--katas-dir", metavar="DIR", default=None, help=HELP["katas_dir"])
    group.addoption("--katas-solutions", action="store_true", default=False, help=HELP["katas_solutions"])


def pytest_configure(config: pytest.Config) -> None:
    if config.getoption("katas") is None:
        if config.getoption("katas_dir") is not None:
            raise pytest.UsageError("--katas-dir needs --katas: say which katas to check")
        return
    from pytest_tfkatas import fixtures
    from pytest_tfkatas.session import SESSION_KEY, KataSession

    session = KataSession(config)
    config.stash[SESSION_KEY] = session
    config.pluginmanager.register(session, "tfkatas-session")
    config.pluginmanager.register(fixtures, "tfkatas-fixtures")
