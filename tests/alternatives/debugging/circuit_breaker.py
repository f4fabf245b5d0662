"""Alternative: the state as a StrEnum, the time the circuit may be retried (a deadline) instead of
the time it opened, and the count reset whenever the circuit opens (a failed trial re-opens it on
its own)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

T = TypeVar("T")


class State(StrEnum):
    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half-open"


class CircuitOpenError(RuntimeError):
    """Raised by ``CircuitBreaker.call`` when the circuit refuses a call (given: keep it as is)."""


class CircuitBreaker:
    def __init__(self, failure_threshold: int, cooldown_seconds: float, clock: Callable[[], float]) -> None:
        if type(failure_threshold) is not int or not failure_threshold >= 1:
            raise ValueError("failure_threshold must be a positive int")
        if not 0 <= cooldown_seconds < math.inf:  # False for NaN too
            raise ValueError("cooldown_seconds must be finite and not negative")
        self.failure_threshold = failure_threshold
        self.cooldown_seconds = cooldown_seconds
        self.clock = clock
        self._streak = 0
        self._retry_at: float | None = None
        self._probing = False

    @property
    def state(self) -> State:
        if self._retry_at is None:
            return State.CLOSED
        if self._probing or self.clock() >= self._retry_at:
            return State.HALF_OPEN
        return State.OPEN

    def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        current = self.state
        if current is State.OPEN or self._probing:
            raise CircuitOpenError("the circuit is open")
        self._probing = current is State.HALF_OPEN
        try:
            result = fn(*args, **kwargs)
        except Exception:
            self._streak += 1
            if self._probing or self._streak >= self.failure_threshold:
                self._retry_at = self.clock() + self.cooldown_seconds
                self._streak = 0
            raise
        finally:
            self._probing = False
        self._streak, self._retry_at = 0, None
        return result


def circuit_breaker(
    failure_threshold: int,
    cooldown_seconds: float,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> CircuitBreaker:
    return CircuitBreaker(failure_threshold, cooldown_seconds, clock)
