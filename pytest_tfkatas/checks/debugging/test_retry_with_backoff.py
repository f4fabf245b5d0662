"""Hidden checks: retry_with_backoff."""

from __future__ import annotations

import math
from typing import Any

import pytest
from transformers import AutoModelForCausalLM, PreTrainedModel

from pytest_tfkatas.harness import describe, expect, expect_raises


class ScriptedLoad:
    """A stand-in for a flaky ``from_pretrained``: raises the scripted errors in turn, then loads."""

    def __init__(self, errors: list[BaseException], load: Any = None) -> None:
        self.errors = list(errors)
        self.load = load
        self.calls = 0

    def __call__(self) -> Any:
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return self.load() if callable(self.load) else self.load

    def __repr__(self) -> str:
        return "<flaky from_pretrained>"


class FakeSleep:
    """Records the delays it is given instead of waiting."""

    def __init__(self) -> None:
        self.delays: list[float] = []

    def __call__(self, seconds: float, /) -> None:  # positional, as time.sleep takes it
        self.delays.append(seconds)

    def __repr__(self) -> str:
        return "<fake sleep>"


def doubling(base_delay: float, count: int) -> list[float]:
    return [base_delay * 2**k for k in range(count)]


def same_delays(got: list[float], expected: list[float]) -> bool:
    return len(got) == len(expected) and all(math.isclose(g, e) for g, e in zip(got, expected, strict=True))


def test_transient_errors_are_retried_until_the_load_succeeds(kata, tiny_gpt2):
    loaded: list[PreTrainedModel] = []

    def load() -> PreTrainedModel:
        loaded.append(AutoModelForCausalLM.from_pretrained(tiny_gpt2.path))
        return loaded[-1]

    operation = ScriptedLoad(
        [ConnectionError("connection reset by peer"), TimeoutError("read timed out")], load
    )
    sleep = FakeSleep()
    result = kata(operation, max_attempts=4, base_delay=0.25, sleep=sleep)
    expect(
        operation.calls == 3,
        kata,
        got=f"the operation called {operation.calls} time(s)",
        expected="3 calls: two transient OSErrors, then the load that succeeds",
        tip="call operation() again after each error of a retry_on type, and stop at the first success.",
    )
    expect(
        bool(loaded) and result is loaded[-1],
        kata,
        got=f"it returned {describe(result)}",
        expected="the model that the successful attempt returned",
        tip="return operation()'s result from inside the try block.",
    )
    expect(
        same_delays(sleep.delays, [0.25, 0.5]),
        kata,
        got=f"sleep called with {sleep.delays}",
        expected="sleep(0.25) after the first failure and sleep(0.5) after the second",
        tip="call the sleep you are given with base_delay * 2 ** attempt before each retry (not time.sleep).",
    )


@pytest.mark.parametrize(
    ("max_attempts", "base_delay"),
    [(5, 0.1), (3, 2.0), (6, 0.5), (3, 0.0), (6, 10.0)],
    ids=["5 at 0.1", "3 at 2.0", "6 at 0.5", "a delay of 0 is allowed", "long waits are not capped"],
)
def test_the_delays_double_after_every_failure(kata, max_attempts, base_delay):
    failures = [OSError(f"temporary failure {k}") for k in range(max_attempts - 1)]
    operation = ScriptedLoad(failures, load="loaded")
    sleep = FakeSleep()
    result = kata(operation, max_attempts=max_attempts, base_delay=base_delay, sleep=sleep)
    expected = doubling(base_delay, max_attempts - 1)
    expect(
        same_delays(sleep.delays, expected),
        kata,
        got=f"sleep called with {sleep.delays}",
        expected=f"{expected}: base_delay, then twice the previous wait, once per failure",
        tip="exponential backoff: the k-th wait (k = 0, 1, ...) is base_delay * 2 ** k.",
    )
    expect(
        result == "loaded" and operation.calls == max_attempts,
        kata,
        got=f"{describe(result)} after {operation.calls} call(s)",
        expected=f"'loaded', from the last of the {max_attempts} allowed attempts",
        tip="max_attempts counts every call of operation, the first one included.",
    )


def test_the_defaults_are_three_attempts_from_a_one_second_wait(kata):
    operation = ScriptedLoad([OSError(f"temporary failure {k}") for k in range(5)])
    sleep = FakeSleep()
    expect_raises(kata, OSError, operation, sleep=sleep, because="every attempt fails with OSError")
    expect(
        operation.calls == 3 and same_delays(sleep.delays, [1.0, 2.0]),
        kata,
        got=f"{operation.calls} call(s), sleep called with {sleep.delays}",
        expected="3 calls and sleep(1.0), sleep(2.0): the defaults max_attempts=3 and base_delay=1.0",
        tip="keep the signature's defaults: max_attempts: int = 3, base_delay: float = 1.0.",
    )


@pytest.mark.parametrize("max_attempts", [1, 3, 4])
def test_the_last_error_is_reraised_when_every_attempt_fails(kata, max_attempts):
    failures = [OSError(f"attempt {k + 1}: connection refused") for k in range(max_attempts + 2)]
    last = failures[max_attempts - 1]
    operation = ScriptedLoad(failures)
    sleep = FakeSleep()
    error = expect_raises(
        kata,
        OSError,
        operation,
        max_attempts=max_attempts,
        base_delay=0.5,
        sleep=sleep,
        because=f"all {max_attempts} attempts failed with OSError",
    )
    expect(
        operation.calls == max_attempts,
        kata,
        got=f"the operation called {operation.calls} time(s)",
        expected=f"{max_attempts} calls, as many as max_attempts",
        tip="max_attempts counts every call of operation, the first one included.",
    )
    expect(
        error is last,
        kata,
        got=f"{type(error).__name__}({str(error)!r})",
        expected=f"the error of the last attempt itself: OSError({str(last)!r})",
        tip="re-raise the caught exception (a bare `raise` in the except block), do not raise a new one.",
    )
    expected = doubling(0.5, max_attempts - 1)
    expect(
        same_delays(sleep.delays, expected),
        kata,
        got=f"sleep called with {sleep.delays}",
        expected=f"{expected}: no wait after the last attempt, there is nothing left to wait for",
    )


def test_only_the_named_exceptions_are_retried(kata):
    not_transient = ValueError("Unrecognized model in ./checkpoint")
    operation = ScriptedLoad([not_transient], load="loaded")
    sleep = FakeSleep()
    error = expect_raises(
        kata,
        ValueError,
        operation,
        max_attempts=3,
        base_delay=1.0,
        sleep=sleep,
        because="ValueError is not a transient error (retry_on is OSError): it propagates at once",
    )
    expect(
        operation.calls == 1 and not sleep.delays,
        kata,
        got=f"{operation.calls} calls and sleeps of {sleep.delays}",
        expected="1 call and no sleep: the error is not one of retry_on, so there is no retry",
        tip="catch only the given types: `except retry_on as error:`, not `except Exception`.",
    )
    expect(
        error is not_transient,
        kata,
        got=f"{type(error).__name__}({str(error)!r}), a new error",
        expected=f"the operation's own error, unchanged: ValueError({str(not_transient)!r})",
        tip="let an error that is not transient propagate as it is: re-raise it with a bare `raise`.",
    )
    # A sibling of the named type is not retried; a subclass of it is.
    operation = ScriptedLoad([TimeoutError("read timed out")], load="loaded")
    expect_raises(
        kata,
        TimeoutError,
        operation,
        retry_on=(ConnectionError,),
        sleep=sleep,
        because="TimeoutError is not a ConnectionError, the only type to retry",
    )
    operation = ScriptedLoad(
        [ConnectionResetError("reset"), ConnectionAbortedError("aborted")], load="loaded"
    )
    result = kata(operation, retry_on=(ConnectionError,), base_delay=0.0, sleep=sleep)
    expect(
        result == "loaded" and operation.calls == 3,
        kata,
        got=f"{describe(result)} after {operation.calls} call(s)",
        expected="'loaded' after 3 calls: ConnectionResetError and ConnectionAbortedError are retried",
        tip="use the retry_on tuple you are given in the except clause.",
    )
    # Every type of the tuple counts, not only the first.
    operation = ScriptedLoad([TimeoutError("read timed out"), ConnectionResetError("reset")], load="loaded")
    result = kata(operation, retry_on=(ConnectionError, TimeoutError), base_delay=0.0, sleep=sleep)
    expect(
        result == "loaded" and operation.calls == 3,
        kata,
        got=f"{describe(result)} after {operation.calls} call(s)",
        expected="'loaded' after 3 calls: TimeoutError and ConnectionResetError are both of retry_on",
        tip="`except retry_on as error:` catches every type of the tuple.",
    )
    # An empty tuple: nothing is transient, so the first error propagates.
    operation = ScriptedLoad([ConnectionError("connection refused")], load="loaded")
    expect_raises(
        kata,
        ConnectionError,
        operation,
        retry_on=(),
        sleep=sleep,
        because="retry_on=() names no transient type: no error is retried",
    )
    expect(
        operation.calls == 1,
        kata,
        got=f"the operation called {operation.calls} time(s)",
        expected="1 call: with retry_on=() there is nothing to retry",
        tip="use retry_on as given; an empty tuple is not a request for the default.",
    )


@pytest.mark.parametrize(
    "result_object", [object(), None, 0, []], ids=["an object", "None", "0", "an empty list"]
)
def test_a_first_success_returns_without_waiting(kata, result_object):
    operation = ScriptedLoad([], load=lambda: result_object)
    sleep = FakeSleep()
    result = kata(operation, max_attempts=5, base_delay=3.0, sleep=sleep)
    expect(
        result is result_object and operation.calls == 1 and not sleep.delays,
        kata,
        got=f"{describe(result)} after {operation.calls} call(s) and sleeps of {sleep.delays}",
        expected="the operation's result after exactly 1 call and no sleep",
        tip="any value operation() returns is a success, even None or 0: only an exception is a failure.",
    )


@pytest.mark.parametrize(
    ("settings", "because"),
    [
        ({"max_attempts": 0}, "max_attempts must be at least 1"),
        ({"max_attempts": -2}, "max_attempts must be at least 1"),
        ({"base_delay": -1.0}, "a delay cannot be negative"),
    ],
    ids=["zero attempts", "negative attempts", "negative delay"],
)
def test_bad_arguments_raise_value_error(kata, settings, because):
    operation = ScriptedLoad([], load="loaded")
    sleep = FakeSleep()
    expect_raises(kata, ValueError, operation, sleep=sleep, because=because, **settings)
    expect(
        operation.calls == 0,
        kata,
        got=f"the operation called {operation.calls} time(s) before the error",
        expected="the arguments checked before the first call",
    )
