"""Decoy for retry_with_backoff: it waits once more after the last failed attempt before re-raising.

caught_by: test_the_last_error_is_reraised_when_every_attempt_fails
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")

logger = logging.getLogger(__name__)


def retry_with_backoff(
    operation: Callable[[], T],
    *,
    max_attempts: int = 3,
    base_delay: float = 1.0,
    retry_on: tuple[type[Exception], ...] = (OSError,),
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    if base_delay < 0:
        raise ValueError(f"base_delay must not be negative, got {base_delay}")
    last_error: Exception | None = None
    for attempt in range(max_attempts):
        try:
            return operation()
        except retry_on as error:
            last_error = error
            sleep(base_delay * 2**attempt)  # MISTAKE: also after the last attempt, for nothing
    assert last_error is not None
    raise last_error
