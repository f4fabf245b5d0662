"""Alternative: the logging lives in a contextlib.contextmanager that the wrapper enters."""

from __future__ import annotations

import contextlib
import functools
import logging
from collections.abc import Callable, Iterator
from typing import ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")


@contextlib.contextmanager
def _failures_logged(logger: logging.Logger, what: str) -> Iterator[None]:
    try:
        yield
    except Exception:
        logger.error("call to %s raised", what, exc_info=True)
        raise


def handle_errors(logger: logging.Logger) -> Callable[[Callable[P, R]], Callable[P, R]]:
    if not isinstance(logger, logging.Logger):
        raise TypeError(f"expected a logging.Logger, got {logger!r}")

    def decorator(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            with _failures_logged(logger, function.__qualname__):
                return function(*args, **kwargs)

        return wrapper

    return decorator
