"""Decoy for handle_errors: a new RuntimeError is raised from the original, so callers cannot catch the original type.

caught_by: test_a_failure_is_logged_with_its_traceback
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(logger: logging.Logger) -> Callable[[Callable[P, R]], Callable[P, R]]:
    if not isinstance(logger, logging.Logger):
        raise TypeError(
            f"handle_errors needs a logging.Logger, got {type(logger).__name__}: "
            "write @handle_errors(logger), not @handle_errors"
        )

    def decorator(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)  # keeps __name__, __doc__, __wrapped__ for tools and tracebacks
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                return function(*args, **kwargs)
            # Exception, not BaseException: KeyboardInterrupt and SystemExit are not failures.
            except Exception as error:
                logger.exception("%s failed", function.__qualname__)
                raise RuntimeError(f"{function.__qualname__} failed") from error  # MISTAKE

        return wrapper

    return decorator
