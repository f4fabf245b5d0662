"""A rich console that colours and wraps as pytest's own terminal writer does, for the kata report
and the info commands: in colour where pytest would use colour (``--color``, ``NO_COLOR``,
``FORCE_COLOR``, a terminal or not), as plain text otherwise."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

__all__ = ["console_for", "lines_of"]

_TRAILING_BLANKS = re.compile(r" +((?:\x1b\[[0-9;]*m)*)$")


def console_for(config: pytest.Config) -> Console:
    writer = config.get_terminal_writer()
    return Console(
        file=io.StringIO(),
        force_terminal=writer.hasmarkup,
        no_color=not writer.hasmarkup,
        color_system="standard" if writer.hasmarkup else None,
        width=max(writer.fullwidth, 60),
        highlight=False,
        emoji=False,
    )


def lines_of(captured: str) -> list[str]:
    """Captured console text as lines, without the blanks rich pads blocks and table cells with
    (kept before any closing colour code)."""
    return [_TRAILING_BLANKS.sub(r"\1", line) for line in captured.rstrip("\n").splitlines()]
