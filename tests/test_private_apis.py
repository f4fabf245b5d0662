"""The few private APIs of pytest and watchfiles the plugin relies on, each for a reason given where
it is used: these tests fail as soon as one of them changes, before a learner meets the breakage."""

from __future__ import annotations

import inspect
import json
import threading
from pathlib import Path

import pytest


def test_pytests_cache_still_keeps_a_value_at_the_path_it_reports(pytester: pytest.Pytester) -> None:
    """progress.py writes the record atomically at the path Cache._getvaluepath gives."""
    config = pytester.parseconfigure()
    cache = config.cache
    assert cache is not None
    cache.set("tfkatas/probe", {"format": 1})
    path = cache._getvaluepath("tfkatas/probe")
    assert json.loads(path.read_text(encoding="utf-8")) == {"format": 1}
    assert callable(cache._ensure_cache_dir_and_supporting_files)


def test_wrap_session_still_runs_a_command_in_a_configured_session() -> None:
    """workspace.py runs the info commands through it, as pytest runs --cache-show."""
    from _pytest.main import wrap_session

    assert list(inspect.signature(wrap_session).parameters) == ["config", "doit"]


def test_runtestprotocol_and_the_setup_state_are_still_there(pytester: pytest.Pytester) -> None:
    """watch.py runs a kata's checks again with runtestprotocol and tears fixtures down with
    session._setupstate.teardown_exact."""
    from _pytest.runner import SetupState, runtestprotocol

    assert list(inspect.signature(runtestprotocol).parameters) == ["item", "log", "nextitem"]
    assert list(inspect.signature(SetupState.teardown_exact).parameters) == ["self", "nextitem"]
    pytester.makepyfile("def test_one():\n    pass\n")
    items, _ = pytester.inline_genitems()
    assert isinstance(items[0].session._setupstate, SetupState)


def test_watchfiles_rust_notify_still_watches_from_the_moment_it_exists(tmp_path: Path) -> None:
    """watch.py creates RustNotify before printing the "watching" line, so no save is missed."""
    from watchfiles._rust_notify import RustNotify

    notify = RustNotify([str(tmp_path)], False, False, 300, True, False)
    try:
        (tmp_path / "kata.py").write_text("x = 1\n", encoding="utf-8")  # before watch() is called
        changes = notify.watch(1600, 50, 5000, threading.Event())
        assert isinstance(changes, set) and any(path.endswith("kata.py") for _, path in changes)
    finally:
        notify.close()


def test_torchs_public_ways_to_change_dtype_and_gradient_mode_still_call_its_private_setters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """hygiene.py names the learner's line that changed torch's default dtype or gradient mode by
    wrapping torch._C._set_default_dtype and torch._C._set_grad_enabled for the check: every public
    way to change them calls those, a reference to torch.set_default_dtype taken earlier included."""
    import torch

    calls: list[str] = []
    for name in ("_set_default_dtype", "_set_grad_enabled"):
        real = getattr(torch._C, name)

        def noting(*args: object, _real: object = real, _name: str = name) -> object:
            calls.append(_name)
            return _real(*args)  # type: ignore[operator]

        monkeypatch.setattr(torch._C, name, noting)
    set_default_dtype = torch.set_default_dtype
    set_default_dtype(torch.float64)
    set_default_dtype(torch.float32)
    with torch.no_grad(), torch.enable_grad():
        pass
    torch.set_grad_enabled(False)
    torch.set_grad_enabled(True)
    assert calls.count("_set_default_dtype") == 2
    assert calls.count("_set_grad_enabled") == 6
