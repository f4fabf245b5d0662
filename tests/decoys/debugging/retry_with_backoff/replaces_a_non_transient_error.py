"""Decoy for retry_with_backoff: an error that is not transient is replaced by a copy of it, losing the original object and its traceback.

caught_by: test_only_the_named_exceptions_are_retried
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
    # Every attempt but the last: a transient error is logged, waited out, and retried.
    for attempt in range(max_attempts - 1):
        try:
            return operation()
        # Only the transient kinds: retrying a wrong model name or a bug only delays the error.
        except Exception as error:
            if not isinstance(error, retry_on):
                raise type(error)(*error.args) from None  # MISTAKE
            delay = base_delay * 2**attempt
            logger.warning(
                "attempt %d/%d failed (%s), retrying in %gs", attempt + 1, max_attempts, error, delay
            )
            sleep(delay)
    # The last attempt: whatever it raises reaches the caller unchanged, traceback included.
    return operation()
