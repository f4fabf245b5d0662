"""Kata: a decorator that logs failures with their traceback and re-raises them (seed question 103).

Run the checks with:  pytest --katas handle_errors
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(logger: logging.Logger) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Make a decorator that reports a function's failures to ``logger`` and lets them continue.

    Use::

        log = logging.getLogger(__name__)

        @handle_errors(log)
        def load_checkpoint(path):
            return AutoModelForCausalLM.from_pretrained(path)

    A failure of ``load_checkpoint`` is logged, traceback included, and then reaches the caller
    exactly as if the decorator were not there.

    Args:
        logger: the logger to report failures to (the application chooses where its records
            go; the decorator never configures logging itself).

    Returns:
        A decorator. The function it returns behaves like the decorated one: same arguments
        and return value, same ``__name__`` and ``__doc__``. When the call raises an
        ``Exception``, one record is logged through ``logger`` at ERROR level, whose message
        names the function (its ``__qualname__``) and which carries the exception and its
        traceback (``exc_info``); then the same exception object is re-raised. A
        ``BaseException`` that is not an ``Exception`` (``KeyboardInterrupt``, ``SystemExit``)
        is not a failure: it passes through unlogged.

    Raises:
        TypeError: when ``logger`` is not a ``logging.Logger``, e.g. when the decorator is
            written ``@handle_errors`` instead of ``@handle_errors(logger)``.
    """
    # TODO: return a decorator whose wrapper calls the function, logs any exception, re-raises it.
    raise NotImplementedError
