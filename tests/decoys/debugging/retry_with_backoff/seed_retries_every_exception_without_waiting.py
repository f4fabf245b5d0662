"""Decoy for retry_with_backoff: the seed's loop: every Exception is retried at once, with no wait between attempts.

caught_by: test_transient_errors_are_retried_until_the_load_succeeds
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
    for attempt in range(max_attempts):
        try:
            return operation()
        except Exception as e:  # MISTAKE: every error is retried, and there is no backoff
            if attempt == max_attempts - 1:
                raise
            print(f"Attempt {attempt + 1} failed: {e}")
    raise AssertionError("unreachable")
