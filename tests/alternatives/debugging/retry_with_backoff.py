"""Alternative: a while loop that counts attempts and doubles the delay as it goes."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def retry_with_backoff(
    operation: Callable[[], T],
    *,
    max_attempts: int = 3,
    base_delay: float = 1.0,
    retry_on: tuple[type[Exception], ...] = (OSError,),
    sleep: Callable[[float], None] = time.sleep,
) -> T:
    if max_attempts < 1 or base_delay < 0:
        raise ValueError(f"need max_attempts >= 1 and base_delay >= 0, got {max_attempts} and {base_delay}")
    attempts_left = max_attempts
    delay = base_delay
    while True:
        attempts_left -= 1
        try:
            return operation()
        except retry_on:
            if attempts_left == 0:
                raise
        sleep(delay)
        delay *= 2
