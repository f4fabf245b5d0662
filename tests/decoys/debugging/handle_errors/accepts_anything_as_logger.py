"""Decoy for handle_errors: no check of the logger, so @handle_errors without (logger) silently builds a broken decorator.

caught_by: test_what_is_not_a_logger_raises_type_error
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(logger: logging.Logger) -> Callable[[Callable[P, R]], Callable[P, R]]:
    # MISTAKE: the logger is not checked

    def decorator(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)  # keeps __name__, __doc__, __wrapped__ for tools and tracebacks
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            # Exception, not BaseException: KeyboardInterrupt and SystemExit are not failures.
            except Exception:
                # logger.exception logs at ERROR with exc_info: the record carries the traceback.
                # %-style arguments are formatted only if a handler actually emits the record.
                logger.exception("%s failed", function.__qualname__)
                raise  # a bare raise: the same exception object, traceback intact

        return wrapper

    return decorator
