"""Helpers shared by the tokenization checks (plain functions; the fixtures are in conftest.py)."""

from __future__ import annotations

from typing import Any


def counting_calls(tokenizer: Any) -> list[Any]:
    """Make ``tokenizer`` record the text argument of every call it gets; return the record."""
    calls: list[Any] = []
    base = type(tokenizer)

    def __call__(self: Any, text: Any = None, *args: Any, **kwargs: Any) -> Any:
        calls.append(text)
        return base.__call__(self, text, *args, **kwargs)

    tokenizer.__class__ = type(f"Counting{base.__name__}", (base,), {"__call__": __call__})
    return calls
