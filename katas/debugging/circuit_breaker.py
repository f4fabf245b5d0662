"""Kata: a circuit breaker around model calls (seed question 104).

Run the checks with:  pytest --katas circuit_breaker
"""

from __future__ import annotations

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
        # TODO: check the arguments, keep them, and start closed with no failures counted.
        raise NotImplementedError

    @property
    def state(self) -> State:
        """``"closed"``, ``"open"`` or ``"half-open"``, as of ``clock()`` now."""
        raise NotImplementedError

    def call(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> T:
        """``fn(*args, **kwargs)`` if the circuit lets the call through."""
        raise NotImplementedError


def circuit_breaker(
    failure_threshold: int,
    cooldown_seconds: float,
    *,
    clock: Callable[[], float] = time.monotonic,
) -> CircuitBreaker:
    """Make a circuit breaker: after repeated failures, stop calling the model for a while.

    When a model server is down or a model keeps failing, retrying every request only piles up
    load and latency. A circuit breaker counts consecutive failures and, past a limit, refuses
    calls at once, then lets one trial call through after a cool-down to see whether the model
    has recovered::

        breaker = circuit_breaker(failure_threshold=3, cooldown_seconds=30)
        outputs = breaker.call(model, input_ids=ids)  # or breaker.call(classifier, text)

    The breaker has three states (its ``state`` property, read as of ``clock()`` now):

    - ``"closed"`` (at the start): ``call(fn, *args, **kwargs)`` returns ``fn(*args, **kwargs)``.
      An ``Exception`` raised by ``fn`` is a failure: it is counted and re-raised, the very
      same object. A success sets the count back to 0. The failure that brings the count of
      consecutive failures to ``failure_threshold`` opens the circuit (and is re-raised too).
    - ``"open"``: ``call`` raises ``CircuitOpenError`` at once, without calling ``fn``. The
      circuit stays open for ``cooldown_seconds``, counted from ``clock()`` read just after the
      failure that opened it.
    - ``"half-open"``: when ``clock()`` says ``cooldown_seconds`` or more have passed. The next
      call is a trial: its success closes the circuit (count back to 0); its failure opens it
      again, the cool-down starting afresh. While the trial runs, any other call (from ``fn``
      itself, for instance) raises ``CircuitOpenError``: only one trial at a time.

    A ``BaseException`` that is not an ``Exception`` (``KeyboardInterrupt``, ``SystemExit``) is
    not a failure of the model: it passes through and changes no count and no state. Time comes
    only from ``clock`` (nothing waits or sleeps); one caller at a time (no locking needed).

    Args:
        failure_threshold: how many consecutive failures open the circuit; an int >= 1.
        cooldown_seconds: how long the circuit stays open; a finite number >= 0.
        clock: returns the current time in seconds (tests pass a fake one).

    Returns:
        A new ``CircuitBreaker``, closed.

    Raises:
        ValueError: if ``failure_threshold`` is not an int >= 1 or ``cooldown_seconds`` is not
            a finite number >= 0.
    """
    # TODO: return CircuitBreaker(...) once the class above is written.
    raise NotImplementedError
