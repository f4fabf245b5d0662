"""Hidden checks: monitor_inference."""

from __future__ import annotations

import logging
import math

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises, fail

PROMPTS = ["Once upon a time", "The robot read", "A good question", "Rain fell softly"]


class FakeTime:
    """A clock that stands still except inside model.generate(), which takes a set time.

    ``fail_on`` lists the calls (0-based) that raise after their time has passed, the way a real
    request fails after a while (out of memory, a timeout...).
    """

    def __init__(
        self,
        model,
        durations: list[float],
        fail_on: tuple[int, ...] = (),
        error: type[Exception] = RuntimeError,
    ) -> None:
        self.now = 1000.0
        self.calls = 0
        self.durations = durations
        self.fail_on = fail_on
        self.error = error
        self.generate = model.generate
        model.generate = self.timed_generate

    def __call__(self) -> float:
        return self.now

    def __repr__(self) -> str:
        return "<a test clock>"

    def timed_generate(self, *args, **kwargs):
        call = self.calls
        self.calls += 1
        self.now += self.durations[call]
        if call in self.fail_on:
            raise self.error(f"simulated failure of request {call}")
        return self.generate(*args, **kwargs)


CLOCK_TIP = (
    "read the clock you are given, `start = clock()` before the request and `clock() - start` after it, "
    "not time.time()."
)
FINALLY_TIP = "take the end time in a `finally:` block, so that a failed request gets its latency."


def monitored(kata, *args, **kwargs) -> dict:
    """The report of the learner's monitor, failing the check if a simulated failure escapes it."""
    try:
        report = kata(*args, **kwargs)
    except Exception as error:
        if "simulated failure" not in str(error):
            raise
        fail(
            f"Called {kata.last_call}.\n"
            f"Got:      {type(error).__name__}: {error}, raised out of monitor_inference\n"
            "Expected: a report in which that request is recorded as failed, and the other requests served\n"
            "Tip: catch the exception of each request (try/except Exception), record it, log it, and go on "
            "with the next prompt."
        )
    expect(
        isinstance(report, dict),
        kata,
        got=describe(report),
        expected="a dict with outputs, latencies, errors, requests, error_rate, mean_latency and max_latency",
    )
    return report


def test_latencies_are_measured_with_the_given_clock(kata, gpt2, greedy):
    model, tokenizer = gpt2
    expected_outputs = [greedy(model, tokenizer, prompt, 4) for prompt in PROMPTS]
    clock = FakeTime(model, [0.5, 2.0, 0.25, 1.25])
    report = monitored(kata, model, tokenizer, list(PROMPTS), max_new_tokens=4, clock=clock)
    expect(
        report.get("outputs") == expected_outputs,
        kata,
        got=f"outputs {report.get('outputs')!r}",
        expected=f"outputs {expected_outputs!r} (each prompt's greedy continuation, in order)",
    )
    expect(
        report.get("latencies") == [0.5, 2.0, 0.25, 1.25],
        kata,
        got=f"latencies {report.get('latencies')!r}",
        expected="latencies [0.5, 2.0, 0.25, 1.25]: the clock advanced by exactly that much during each "
        "request",
        tip=CLOCK_TIP,
    )
    summary = {key: report.get(key) for key in ("requests", "error_rate", "mean_latency", "max_latency")}
    wanted = {"requests": 4, "error_rate": 0.0, "mean_latency": 1.0, "max_latency": 2.0}
    expect(
        summary == wanted and report.get("errors") == [],
        kata,
        got=f"{summary}, errors {report.get('errors')!r}",
        expected=f"{wanted}, errors []",
    )


def test_failed_requests_are_recorded_and_the_rest_still_run(kata, gpt2, greedy, caplog):
    model, tokenizer = gpt2
    expected_outputs = [greedy(model, tokenizer, prompt, 3) for prompt in PROMPTS]
    expected_outputs[1] = expected_outputs[3] = None
    clock = FakeTime(model, [1.5, 3.0, 0.5, 1.0], fail_on=(1, 3))
    with caplog.at_level(logging.INFO):
        report = monitored(kata, model, tokenizer, list(PROMPTS), max_new_tokens=3, clock=clock)
    expect(
        report.get("outputs") == expected_outputs,
        kata,
        got=f"outputs {report.get('outputs')!r}",
        expected=f"outputs {expected_outputs!r}: None where the request failed",
        tip="catch the exception of each request (try/except Exception), record it, and go on "
        "with the next prompt.",
    )
    errors = report.get("errors")
    wanted = [
        {"index": 1, "prompt": PROMPTS[1], "error": "RuntimeError: simulated failure of request 1"},
        {"index": 3, "prompt": PROMPTS[3], "error": "RuntimeError: simulated failure of request 3"},
    ]
    expect(
        errors == wanted,
        kata,
        got=f"errors {errors!r}",
        expected=f"errors {wanted!r}",
        tip='record each failure as {"index": i, "prompt": prompt, "error": f"{type(error).__name__}: '
        '{error}"}.',
    )
    latencies = report.get("latencies")
    expect(
        latencies == [1.5, 3.0, 0.5, 1.0],
        kata,
        got=f"latencies {latencies!r}",
        expected="latencies [1.5, 3.0, 0.5, 1.0]: failed requests took time too",
        tip=CLOCK_TIP if isinstance(latencies, list) and len(latencies) == len(PROMPTS) else FINALLY_TIP,
    )
    summary = {key: report.get(key) for key in ("requests", "error_rate", "mean_latency", "max_latency")}
    wanted_summary = {"requests": 4, "error_rate": 0.5, "mean_latency": 1.5, "max_latency": 3.0}
    expect(
        summary == wanted_summary,
        kata,
        got=str(summary),
        expected=f"{wanted_summary}: 2 of 4 requests failed; the latencies of all 4 count",
    )
    logged = [record for record in caplog.records if record.levelno >= logging.ERROR]
    expect(
        len(logged) == 2,
        kata,
        got=f"{len(logged)} log records at ERROR level or above",
        expected="one ERROR record per failed request (2)",
        tip="log each failure with logging.getLogger(__name__).exception(...): it records the traceback.",
    )
    bare = [record.getMessage() for record in logged if not record.exc_info]
    expect(
        not bare,
        kata,
        got=f"ERROR records without the exception and its traceback: {bare}",
        expected="each failure logged with its exception (exc_info), as logger.exception does",
        tip="log inside the except block with logger.exception(...), or logger.error(..., exc_info=True).",
    )


def test_the_default_is_20_new_tokens_and_1_is_allowed(kata, gpt2, greedy):
    model, tokenizer = gpt2
    expected = [[greedy(model, tokenizer, PROMPTS[0], 20)], [greedy(model, tokenizer, PROMPTS[1], 1)]]
    clock = FakeTime(model, [0.5, 0.5])  # it wraps model.generate: the expected texts come first
    report = monitored(kata, model, tokenizer, PROMPTS[:1], clock=clock)
    report_one = monitored(kata, model, tokenizer, PROMPTS[1:2], max_new_tokens=1, clock=clock)
    got = [report.get("outputs"), report_one.get("outputs")]
    expect(
        got == expected,
        kata,
        got=f"outputs {got!r}",
        expected=f"{expected!r}: 20 new tokens by default, and one with max_new_tokens=1",
        tip="keep the signature's default max_new_tokens=20 and pass it on to generate().",
    )


def test_greedy_without_special_tokens_on_a_model_that_samples_and_ends_early(kata, tiny_llama_sampling):
    from pytest_tfkatas.checks.helpers import greedy_continuation
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    prompts = list(LLAMA_EOS_PROMPTS[:2])
    expected = [greedy_continuation(model, tokenizer, prompt, 12) for prompt in prompts]
    report = monitored(kata, model, tokenizer, prompts, max_new_tokens=12, clock=FakeTime(model, [1.0, 1.0]))
    expect(
        report.get("outputs") == expected,
        kata,
        got=f"outputs {report.get('outputs')!r}",
        expected=f"outputs {expected!r}: greedy continuations that end early with </s> (left out)",
        tip="generate(do_sample=False) (this model's generation_config samples by default) and decode with "
        "skip_special_tokens=True.",
    )


def test_a_fully_failing_run_is_still_a_report(kata, gpt2):
    model, tokenizer = gpt2
    clock = FakeTime(model, [0.75, 0.25], fail_on=(0, 1))
    report = monitored(kata, model, tokenizer, PROMPTS[:2], max_new_tokens=3, clock=clock)
    summary = {
        key: report.get(key) for key in ("outputs", "requests", "error_rate", "mean_latency", "max_latency")
    }
    wanted = {
        "outputs": [None, None],
        "requests": 2,
        "error_rate": 1.0,
        "mean_latency": 0.5,
        "max_latency": 0.75,
    }
    expect(
        summary == wanted,
        kata,
        got=str(summary),
        expected=str(wanted),
        tip="failed requests count in every figure: their latencies (measured in a `finally:` block) and "
        "error_rate = failures / requests.",
    )


def test_any_exception_is_a_failed_request_and_latencies_are_kept_exact(kata, gpt2, greedy):
    """A request may fail with any Exception (here a ValueError), not only a RuntimeError; a prompt
    given twice is two requests, each served; the prompts may come in a tuple; and a latency is the
    clock's difference as it is, not rounded (0.0004 s stays 0.0004 s)."""
    model, tokenizer = gpt2
    prompts = (PROMPTS[0], PROMPTS[1], PROMPTS[0])
    durations = [0.0004, 1 / 3, 0.0004]
    start = 1000.0
    expected_latencies = []
    for duration in durations:  # what clock() - start gives, to the last bit
        expected_latencies.append((start + duration) - start)
        start += duration
    text = greedy(model, tokenizer, PROMPTS[0], 3)
    clock = FakeTime(model, durations, fail_on=(1,), error=ValueError)
    report = monitored(kata, model, tokenizer, prompts, max_new_tokens=3, clock=clock)
    wanted = {
        "outputs": [text, None, text],
        "errors": [{"index": 1, "prompt": PROMPTS[1], "error": "ValueError: simulated failure of request 1"}],
        "requests": 3,
        "error_rate": 1 / 3,
    }
    got = {key: report.get(key) for key in wanted}
    expect(
        got == wanted and clock.calls == 3,
        kata,
        got=f"{got} after {clock.calls} calls of model.generate()",
        expected=f"{wanted} after 3 calls of model.generate(): every prompt a request of its own, and the "
        "ValueError recorded like any other failure",
        tip="catch every Exception of a request (except Exception), not only RuntimeError.",
    )
    latencies = report.get("latencies")
    expect(
        isinstance(latencies, list)
        and len(latencies) == 3
        and all(
            isinstance(x, float) and math.isclose(x, y, rel_tol=1e-9)
            for x, y in zip(latencies, expected_latencies, strict=True)
        ),
        kata,
        got=f"latencies {latencies!r}",
        expected=f"latencies {expected_latencies!r}: clock() - start for each request, not rounded",
        tip="keep the seconds as the clock gives them: round only when you display them.",
    )


@pytest.mark.parametrize(
    ("prompts", "settings", "error", "because"),
    [
        ([], {}, ValueError, "there is nothing to monitor"),
        ((), {}, ValueError, "an empty tuple of prompts leaves nothing to monitor"),
        (PROMPTS, {"max_new_tokens": 0}, ValueError, "max_new_tokens must be at least 1"),
        (PROMPTS, {"clock": 12.5}, TypeError, "the clock must be a callable that returns seconds"),
    ],
    ids=["no prompts", "an empty tuple", "zero new tokens", "clock not callable"],
)
def test_bad_arguments_raise(kata, gpt2, prompts, settings, error, because):
    model, tokenizer = gpt2
    given = list(prompts) if isinstance(prompts, list) else prompts
    expect_raises(kata, error, model, tokenizer, given, because=because, **settings)
