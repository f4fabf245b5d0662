"""Kata: retry a flaky operation with exponential backoff (seed question 97).

Run the checks with:  pytest --katas retry_with_backoff
"""

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
    """Call ``operation`` until it succeeds, waiting longer after each transient failure.

    Typical use: a download from the Hub that times out now and then::

        model = retry_with_backoff(lambda: AutoModelForCausalLM.from_pretrained(name))

    Args:
        operation: the work to do, called with no arguments (wrap arguments in a lambda or
            ``functools.partial``); its return value is returned.
        max_attempts: how many times ``operation`` may be called in all (1 = no retry).
        base_delay: seconds to wait after the first failure; each later wait doubles, so the
            waits are ``base_delay``, ``2 * base_delay``, ``4 * base_delay``, ... There is no wait
            after the last attempt.
        retry_on: the exception types that count as transient (subclasses included); by default
            OSError, which covers connection errors and timeouts.
        sleep: the function that waits, given the delay in seconds (tests pass a fake one).

    Returns:
        What ``operation`` returned on the first attempt that succeeded.

    Raises:
        ValueError: when ``max_attempts`` < 1 or ``base_delay`` < 0 (before calling ``operation``).
        Exception: an exception that is not one of ``retry_on`` propagates at once, without a
            retry; when every attempt fails, the exception of the last attempt is re-raised,
            the very same object.
    """
    # TODO: call operation up to max_attempts times, sleeping base_delay * 2**k between attempts.
    raise NotImplementedError
