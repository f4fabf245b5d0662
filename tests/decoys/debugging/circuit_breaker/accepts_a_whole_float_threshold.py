"""Decoy for circuit_breaker: accepts a float failure_threshold with a whole value, such as 3.0.

caught_by: test_bad_arguments_raise_value_error
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Any, Literal, TypeVar

T = TypeVar("T")
State = Literal["closed", "open", "half-open"]


class CircuitOpenError(RuntimeError):
    """Raised by ``CircuitBreaker.call`` when the circuit refuses a call (given: keep it as is)."""


class CircuitBreaker:
    """Calls through a circuit breaker; see ``circuit_breaker`` for the whole contract."""

    def __init__(self, failure_threshold: int, cooldown_seconds: float, clock: Callable[[], float]) -> None:
        if failure_threshold != int(failure_threshold) or failure_threshold < 1:  # MISTAKE
            raise ValueError(f"failure_threshold must be an int >= 1, got {failure_threshold!r}")
        if not (math.isfinite(cooldown_seconds) and cooldown_seconds >= 0):
            raise ValueError(f"cooldown_seconds must be a finite number >= 0, got {cooldown_seconds!r}")
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self._clock = clock
        self._failures = 0  # consecutive failures; only a success sets it back to 0
        self._opened_at: float | None = None  # None while closed
        self._trial_running = False

    @property
    def state(self) -> State:
        if self._opened_at is None:
            return "closed"
        if self._trial_running or self._clock() - self._opened_at >= self.cooldown_seconds:
            return "half-open"
        return "open"

    def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        state = self.state
        if state == "open" or self._trial_running:
            raise CircuitOpenError(f"circuit open after {self._failures} failures: {fn!r} not called")
        self._trial_running = state == "half-open"
        try:
            result = fn(*args, **kwargs)
        except Exception:  # KeyboardInterrupt and SystemExit are not failures of the model
            self._failures += 1
            # After a failed trial the count is still past the threshold: the circuit opens again.
            if self._failures >= self.failure_threshold:
                self._opened_at = self._clock()  # the cool-down starts now
            raise
        finally:
            self._trial_running = False
        self._failures = 0
        self._opened_at = None
        return result


def circuit_breaker(
    failure_threshold: int,
    cooldown_seconds: float,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold, cooldown_seconds, clock)
