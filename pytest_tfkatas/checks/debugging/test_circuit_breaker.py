"""Hidden checks: circuit_breaker."""

from __future__ import annotations

import math
import time

import pytest
import torch
from transformers import pipeline

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: far from any real clock reading (time.time() or time.monotonic()): code that reads the real time
#: instead of the clock it is given never sees the cool-down end
START = 5e9


class Clock:
    """A fake clock: time moves only when the check moves it."""

    def __init__(self, now: float = START) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now

    def __repr__(self) -> str:
        return f"<fake clock at {self.now!r} s>"


class Model:
    """A stand-in for a model call that fails while ``failing`` is set; counts its calls."""

    def __init__(self, clock: Clock | None = None, takes: float = 0.0) -> None:
        self.calls: list[tuple] = []
        self.failing = False
        self.clock, self.takes = clock, takes
        self.last_error: Exception | None = None
        self.last_result: dict | None = None

    def __call__(self, *args, **kwargs):
        self.calls.append((args, kwargs))
        if self.clock is not None:
            self.clock.now += self.takes  # a slow call: the clock moves while it runs
        if self.failing:
            self.last_error = RuntimeError(f"model server unavailable (call {len(self.calls)})")
            raise self.last_error
        self.last_result = {"logits": [len(self.calls)], "args": args, "kwargs": kwargs}
        return self.last_result


#: the delays of the time.sleep calls made during a check (none expected: see _no_sleeping)
SLEEPS: list[float] = []


@pytest.fixture(autouse=True)
def _no_sleeping(monkeypatch):
    """time.sleep returns at once and is noted: the breaker's time comes from its clock only."""
    SLEEPS.clear()
    monkeypatch.setattr(time, "sleep", SLEEPS.append)


def make(kata, threshold: int, cooldown: float, clock: Clock):
    breaker = kata(threshold, cooldown, clock=clock)
    for attribute in ("call", "state"):
        expect(
            hasattr(breaker, attribute),
            kata,
            got=f"{describe(breaker)}, which has no {attribute!r}",
            expected="a CircuitBreaker with a call() method and a state property",
        )
    return breaker


def open_error(kata) -> type[Exception]:
    error = getattr(kata.function, "__globals__", {}).get("CircuitOpenError")
    if not (isinstance(error, type) and issubclass(error, RuntimeError)):
        fail_call(
            kata,
            got=f"{kata.shown_path} has no CircuitOpenError class (a RuntimeError)",
            expected="the CircuitOpenError class the stub defines, raised when the circuit refuses a call",
        )
    return error


def outcome(breaker, fn, *args, **kwargs):
    """(result, exception) of breaker.call(fn, ...)."""
    try:
        return breaker.call(fn, *args, **kwargs), None
    except Exception as error:
        return None, error


def check_state(kata, breaker, expected: str, when: str, tip: str | None = None) -> None:
    __tracebackhide__ = True
    state = breaker.state
    expect(state == expected, kata, got=f"state {state!r} {when}", expected=f"{expected!r} {when}", tip=tip)


def check_failure_passes_through(kata, breaker, model: Model, when: str) -> None:
    """A call through a closed (or trial) breaker whose model fails: the model's error, unchanged."""
    __tracebackhide__ = True
    calls = len(model.calls)
    model.failing = True
    _, error = outcome(breaker, model, "text", max_length=8)
    expect(
        len(model.calls) == calls + 1 and error is model.last_error,
        kata,
        got=f"breaker.call(model, ...) {when}: the model called {len(model.calls) - calls} times, "
        f"{describe(error)} raised",
        expected=f"the model called once and its own {model.last_error!r} re-raised, the same object",
        tip="count the failure, then re-raise it with a bare `raise`.",
    )


def check_refused(kata, breaker, model: Model, when: str) -> None:
    __tracebackhide__ = True
    refused = open_error(kata)
    calls = len(model.calls)
    _, error = outcome(breaker, model, "text")
    slept = f", after time.sleep{tuple(SLEEPS)}" if SLEEPS else ""
    expect(
        isinstance(error, refused) and len(model.calls) == calls and not SLEEPS,
        kata,
        got=f"breaker.call(model, ...) {when}: {describe(error)} raised, the model called "
        f"{len(model.calls) - calls} times{slept}",
        expected="CircuitOpenError at once, without calling the model (and without waiting)",
        tip="an open circuit fails fast: raise CircuitOpenError, never sleep until the cool-down ends."
        if SLEEPS
        else None,
    )


def check_success(kata, breaker, model: Model, when: str, tip: str | None = None) -> None:
    __tracebackhide__ = True
    model.failing = False
    calls = len(model.calls)
    result, error = outcome(breaker, model, "a text", max_length=8)
    expect(
        error is None and len(model.calls) == calls + 1 and result["args"] == ("a text",),
        kata,
        got=f"breaker.call(model, 'a text', max_length=8) {when}: {describe(error or result)}",
        expected="what model('a text', max_length=8) returns, the model called once",
        tip=tip,
    )
    expect(
        result is model.last_result and result["kwargs"] == {"max_length": 8},
        kata,
        got=f"the model's result {result!r}" + ("" if result is model.last_result else ", another object"),
        expected="the model's own result, the very same object, and the keyword arguments passed on",
    )


@pytest.mark.parametrize("threshold", [1, 3])
def test_it_opens_after_exactly_n_consecutive_failures(kata, threshold):
    clock, model = Clock(), Model()
    breaker = make(kata, threshold, 30.0, clock)
    check_state(kata, breaker, "closed", "when new")
    for failure in range(1, threshold):
        check_failure_passes_through(kata, breaker, model, f"for failure {failure} of {threshold}")
        check_state(kata, breaker, "closed", f"after {failure} failures (threshold {threshold})")
    check_failure_passes_through(kata, breaker, model, f"for failure {threshold} of {threshold}")
    check_state(
        kata,
        breaker,
        "open",
        f"after {threshold} consecutive failures (threshold {threshold})",
        tip="the failure that brings the count to failure_threshold opens the circuit (>=, not >).",
    )
    for _ in range(2):
        check_refused(kata, breaker, model, "while open")
    check_state(kata, breaker, "open", "after refused calls, with no time passed")


def test_a_success_sets_the_count_back_to_zero(kata):
    clock, model = Clock(), Model()
    breaker = make(kata, 3, 30.0, clock)
    for _ in range(2):
        check_failure_passes_through(kata, breaker, model, "closed")
    check_success(kata, breaker, model, "after 2 failures")
    for failure in (1, 2):
        check_failure_passes_through(kata, breaker, model, "closed")
        check_state(
            kata,
            breaker,
            "closed",
            f"after fail, fail, success, then {failure} failure(s) (threshold 3)",
            tip="only consecutive failures count: a success sets the count back to 0.",
        )
    check_failure_passes_through(kata, breaker, model, "closed")
    check_state(kata, breaker, "open", "after 3 consecutive failures")


def test_a_result_of_none_is_a_success_and_any_keyword_is_passed_on(kata):
    clock, model = Clock(), Model()
    breaker = make(kata, 3, 30.0, clock)
    for _ in range(2):
        check_failure_passes_through(kata, breaker, model, "closed")
    seen: list[dict] = []

    def record(**kwargs) -> None:
        seen.append(kwargs)

    try:  # not outcome(): its own parameter is called fn
        result, error = breaker.call(record, fn="greedy", self="me", args=1), None
    except Exception as raised:
        result, error = None, raised
    expect(
        error is None and result is None and seen == [{"fn": "greedy", "self": "me", "args": 1}],
        kata,
        got=f"breaker.call(record, fn='greedy', self='me', args=1), where record returns None: "
        f"{describe(error or result)}, record called with {seen}",
        expected="None, record called once with fn='greedy', self='me', args=1",
        tip="keep `fn` positional-only (the `/` of the stub's signature), so that any keyword reaches fn."
        if error is not None and "argument" in str(error)
        else None,
    )
    for failure in (1, 2):
        check_failure_passes_through(kata, breaker, model, "closed")
        check_state(
            kata,
            breaker,
            "closed",
            f"after fail, fail, a call that returned None, then {failure} failure(s) (threshold 3)",
            tip="a call that returns, whatever it returns (None included), is a success: only an "
            "exception is a failure.",
        )


def test_a_call_made_inside_a_call_goes_through_while_closed(kata):
    clock, model = Clock(), Model()
    breaker = make(kata, 2, 30.0, clock)

    def pipeline_step(text):
        return breaker.call(model, text, max_length=8)

    result, error = outcome(breaker, pipeline_step, "a text")
    expect(
        error is None and result is model.last_result and len(model.calls) == 1,
        kata,
        got=f"breaker.call(step, 'a text'), where step itself calls breaker.call(model, ...): "
        f"{describe(error or result)}, the model called {len(model.calls)} times",
        expected="the model's result through both calls, the model called once: only a half-open "
        "circuit allows one call at a time",
    )
    check_state(kata, breaker, "closed", "after two successful calls, one inside the other")


@pytest.mark.parametrize("cooldown", [30.0, 0.25])
def test_it_turns_half_open_after_exactly_the_cooldown(kata, cooldown):
    clock, model = Clock(), Model()
    breaker = make(kata, 2, cooldown, clock)
    for _ in range(2):
        check_failure_passes_through(kata, breaker, model, "closed")
    opened = clock.now
    clock.now = math.nextafter(opened + cooldown, -math.inf)
    check_state(kata, breaker, "open", f"just before {cooldown} s have passed")
    check_refused(kata, breaker, model, f"just before {cooldown} s have passed")
    clock.now = opened + cooldown
    check_state(
        kata,
        breaker,
        "half-open",
        f"when exactly {cooldown} s have passed on the clock given",
        tip="half-open when clock() - opened_at >= cooldown_seconds; read the clock you are given, "
        "never time.time() or time.monotonic().",
    )
    check_success(kata, breaker, model, "the trial call, half-open")
    check_state(kata, breaker, "closed", "after a successful trial")


def test_a_zero_cooldown_allows_a_trial_at_once(kata):
    clock, model = Clock(), Model()
    breaker = make(kata, 1, 0, clock)
    check_failure_passes_through(kata, breaker, model, "closed")
    check_state(kata, breaker, "half-open", "right after opening, with cooldown_seconds=0")


def test_the_cooldown_counts_from_the_failure_not_from_the_start_of_the_call(kata):
    clock = Clock()
    model = Model(clock, takes=5.0)  # each call takes 5 s on the clock
    breaker = make(kata, 1, 10.0, clock)
    check_failure_passes_through(kata, breaker, model, "closed")
    failed_at = clock.now
    clock.now = failed_at + 9.0
    check_state(
        kata,
        breaker,
        "open",
        "9 s after a failure that came at the end of a 5 s call (cooldown 10 s)",
        tip="read the clock after the call failed: the cool-down starts at the failure.",
    )
    clock.now = failed_at + 10.0
    check_state(kata, breaker, "half-open", "10 s after the failure")
    check_failure_passes_through(kata, breaker, model, "for the trial call, half-open, which takes 5 s")
    trial_failed = clock.now
    clock.now = trial_failed + 9.0
    check_state(
        kata,
        breaker,
        "open",
        "9 s after a failed trial call that took 5 s (cooldown 10 s)",
        tip="read the clock after the trial failed: its cool-down starts at that failure too.",
    )
    clock.now = trial_failed + 10.0
    check_state(kata, breaker, "half-open", "10 s after the failed trial")


def test_a_successful_trial_closes_the_circuit_and_resets_the_count(kata):
    clock, model = Clock(), Model()
    breaker = make(kata, 2, 30.0, clock)
    for _ in range(2):
        check_failure_passes_through(kata, breaker, model, "closed")
    clock.now += 45.0
    check_success(kata, breaker, model, "the trial call, half-open")
    check_state(kata, breaker, "closed", "after a successful trial")
    check_failure_passes_through(kata, breaker, model, "closed again")
    check_state(
        kata,
        breaker,
        "closed",
        "after a successful trial and then 1 failure (threshold 2)",
        tip="a successful trial sets the count of failures back to 0.",
    )
    check_failure_passes_through(kata, breaker, model, "closed again")
    check_state(kata, breaker, "open", "after 2 new consecutive failures")


def test_a_failed_trial_opens_the_circuit_again_for_a_whole_cooldown(kata):
    clock, model = Clock(), Model()
    breaker = make(kata, 3, 30.0, clock)
    for _ in range(3):
        check_failure_passes_through(kata, breaker, model, "closed")
    clock.now += 37.0
    check_state(kata, breaker, "half-open", "37 s after opening (cooldown 30 s)")
    check_failure_passes_through(kata, breaker, model, "for the trial call, half-open")
    check_state(
        kata,
        breaker,
        "open",
        "right after the trial call failed",
        tip="a failed trial opens the circuit again at once, its cool-down starting at that failure.",
    )
    trial_failed = clock.now
    clock.now = trial_failed + 29.5
    check_state(
        kata,
        breaker,
        "open",
        "29.5 s after the failed trial (cooldown 30 s)",
        tip="a failed trial restarts the cool-down: keep the clock reading of that failure.",
    )
    check_refused(kata, breaker, model, "29.5 s after the failed trial")
    clock.now = trial_failed + 30.0
    check_state(kata, breaker, "half-open", "30 s after the failed trial")
    check_success(kata, breaker, model, "the second trial")
    check_state(kata, breaker, "closed", "after the second trial succeeded")


def test_half_open_lets_only_one_trial_through(kata):
    clock, model = Clock(), Model()
    breaker = make(kata, 1, 30.0, clock)
    check_failure_passes_through(kata, breaker, model, "closed")
    clock.now += 30.0
    refused = open_error(kata)
    seen: dict = {}

    def trial(text):
        seen["state"] = breaker.state
        seen["inner"] = outcome(breaker, model, "another request")
        return f"trial on {text}"

    model.failing = False
    calls = len(model.calls)
    result, error = outcome(breaker, trial, "a text")
    expect(
        error is None and result == "trial on a text",
        kata,
        got=f"the trial call: {describe(error or result)}",
        expected="'trial on a text', the trial's own result",
    )
    inner_result, inner_error = seen["inner"]
    expect(
        isinstance(inner_error, refused) and len(model.calls) == calls and seen["state"] == "half-open",
        kata,
        got=f"while the trial ran: state {seen['state']!r}, another call gave "
        f"{describe(inner_error or inner_result)}, the model called {len(model.calls) - calls} times",
        expected="state 'half-open' and CircuitOpenError for any other call while the trial runs, "
        "the model not called",
        tip="note that a trial is running before calling it, and refuse other calls until it ends.",
    )
    check_state(kata, breaker, "closed", "after the trial succeeded")
    check_success(kata, breaker, model, "after the trial")


@pytest.mark.parametrize(
    "interrupt", [KeyboardInterrupt, SystemExit], ids=["KeyboardInterrupt", "SystemExit"]
)
def test_an_interrupt_is_not_a_failure(kata, interrupt):
    clock, model = Clock(), Model()
    breaker = make(kata, 2, 30.0, clock)
    check_failure_passes_through(kata, breaker, model, "closed")
    stop = interrupt()

    def interrupted():
        raise stop

    try:
        breaker.call(interrupted)
    except BaseException as caught:
        passed = caught is stop
        got = f"{type(caught).__name__} raised" + ("" if passed else ", not the one from the call")
    else:
        passed, got = False, "no exception"
    same = f"the very same {interrupt.__name__}"
    expect(passed, kata, got=f"breaker.call(interrupted): {got}", expected=same)
    check_state(
        kata,
        breaker,
        "closed",
        f"after 1 failure and a {interrupt.__name__} (threshold 2)",
        tip="catch Exception, not BaseException: an interrupt is not a failure of the model.",
    )
    check_failure_passes_through(kata, breaker, model, "closed")
    check_state(
        kata,
        breaker,
        "open",
        f"after failure, {interrupt.__name__}, failure (threshold 2)",
        tip=f"a {interrupt.__name__} is not a success either: it leaves the count as it was.",
    )
    clock.now += 30.0
    try:
        breaker.call(interrupted)  # the trial is interrupted: no verdict on the model
    except BaseException as caught:
        passed = caught is stop
    else:
        passed = False
    expect(passed, kata, got="the trial call: the interrupt not passed through", expected=same)
    check_state(kata, breaker, "half-open", f"after a {interrupt.__name__} during the trial call")
    check_success(
        kata,
        breaker,
        model,
        f"after a {interrupt.__name__} during the trial call",
        tip="the trial is over when its call ends, however it ends: clear the trial in a `finally:`.",
    )
    check_state(kata, breaker, "closed", "after the next trial succeeded")


@pytest.fixture(scope="module")
def bert_classifier():
    return zoo.get("bert").load_model(), pipeline("text-classification", model=str(zoo.path("bert")))


def test_real_model_calls_go_through_and_fail_through(kata, bert_classifier):
    model, classifier = bert_classifier
    clock = Clock()
    breaker = make(kata, 2, 60.0, clock)
    good = torch.tensor([[2, 40, 41, 3]])
    too_large = torch.tensor([[2, model.config.vocab_size + 7, 3]])
    with torch.no_grad():
        expected = model(input_ids=good).logits
        output = breaker.call(model, input_ids=good)
    expect(
        torch.equal(output.logits, expected),
        kata,
        got=f"breaker.call(model, input_ids=...) gave logits {output.logits.tolist()}",
        expected=f"the model's own output, logits {expected.tolist()}",
    )
    text = "A wonderful book"
    result = breaker.call(classifier, text)
    expect(
        result == classifier(text),
        kata,
        got=f"breaker.call(classifier, {text!r}) returned {result!r}",
        expected=f"{classifier(text)!r}, what the pipeline returns",
    )
    try:
        model(input_ids=too_large)
    except IndexError as error:
        direct = str(error)
    for _ in range(2):
        _, error = outcome(breaker, model, input_ids=too_large)
        expect(
            isinstance(error, IndexError) and str(error) == direct,
            kata,
            got=f"breaker.call(model, input_ids=<a token id past the vocabulary>): {describe(error)}",
            expected=f"the model's own IndexError({direct!r}), re-raised",
        )
    check_state(kata, breaker, "open", "after 2 failed model calls (threshold 2)")
    forwards: list[int] = []
    handle = classifier.model.register_forward_hook(lambda module, args, output: forwards.append(1))
    try:
        _, error = outcome(breaker, classifier, text)
    finally:
        handle.remove()
    expect(
        isinstance(error, open_error(kata)) and not forwards,
        kata,
        got=f"breaker.call(classifier, {text!r}) while open: {describe(error)}, "
        f"{len(forwards)} forward passes",
        expected="CircuitOpenError, the pipeline not called",
    )
    clock.now += 60.0
    _, error = outcome(breaker, classifier, None)
    expect(
        isinstance(error, ValueError),
        kata,
        got=f"breaker.call(classifier, None) as the trial: {describe(error)}",
        expected="the pipeline's own ValueError for an input that is not text, re-raised",
    )
    check_state(kata, breaker, "open", "after the trial call to the pipeline failed")


BAD = {
    "failure_threshold=0": (0, 30.0),
    "failure_threshold=-2": (-2, 30.0),
    "failure_threshold=2.5": (2.5, 30.0),
    "failure_threshold=3.0": (3.0, 30.0),
    "cooldown_seconds=-1": (3, -1.0),
    "cooldown_seconds=nan": (3, math.nan),
    "cooldown_seconds=inf": (3, math.inf),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_arguments_raise_value_error(kata, case):
    threshold, cooldown = BAD[case]
    expect_raises(
        kata,
        ValueError,
        threshold,
        cooldown,
        clock=Clock(),
        because=f"{case}: failure_threshold must be an int >= 1, cooldown_seconds a finite number >= 0",
    )


def test_the_clock_is_the_only_source_of_time(kata):
    """A clock that reads 0.0 when the circuit opens (a falsy time, but a time): only its readings
    count."""
    clock, model = Clock(0.0), Model()
    breaker = make(kata, 1, 5.0, clock)
    check_failure_passes_through(kata, breaker, model, "closed")
    check_state(
        kata,
        breaker,
        "open",
        "right after the failure at clock() == 0.0 (threshold 1)",
        tip="0.0 is a time like any other: test `opened_at is None`, not its truth value.",
    )
    clock.now = 4.0
    check_state(kata, breaker, "open", "4 s after opening on the clock given (cooldown 5 s)")
    clock.now = 5.0
    check_state(kata, breaker, "half-open", "5 s after opening on the clock given")
