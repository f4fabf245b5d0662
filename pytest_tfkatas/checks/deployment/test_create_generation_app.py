"""Hidden checks: create_generation_app."""

from __future__ import annotations

import threading
import time

import pytest

from pytest_tfkatas.harness import describe, expect, expect_raises, fail, fail_call

PROMPTS = ["Once upon a time", "A good question", "Le chat noir"]
QUERY_TIP = (
    "a bare `prompt: str` parameter of the endpoint is a *query* parameter (?prompt=...); declare a "
    "pydantic BaseModel with `prompt: str` and take it as the endpoint's parameter to read the JSON body."
)


def client_of(kata, app):
    from fastapi import FastAPI
    from fastapi.testclient import TestClient

    expect(
        isinstance(app, FastAPI),
        kata,
        got=describe(app),
        expected="a fastapi.FastAPI application",
        tip="build `app = FastAPI()` inside the function, add the routes, and return app.",
    )
    # Server errors become 500 answers the check can report, rather than exceptions.
    return TestClient(app, raise_server_exceptions=False)


def post(kata, client, body: dict, expected_status: int = 200):
    response = client.post("/generate", json=body)
    if response.status_code != expected_status:
        tip = QUERY_TIP if expected_status == 200 and response.status_code == 422 else None
        if response.status_code == 404:
            tip = 'register the endpoint with @app.post("/generate").'
        fail_call(
            kata,
            got=f"POST /generate {body} answered {response.status_code}: {response.text[:200]}",
            expected=f"status {expected_status}",
            tip=tip,
        )
    return response


def test_generate_answers_with_the_direct_generation(kata, gpt2, greedy):
    model, tokenizer = gpt2
    expected = {prompt: greedy(model, tokenizer, prompt, 7) for prompt in PROMPTS}
    with client_of(kata, kata(model, tokenizer, max_new_tokens=7)) as client:
        for prompt in PROMPTS:
            body = post(kata, client, {"prompt": prompt}).json()
            expect(
                body == {"text": expected[prompt]},
                kata,
                got=f"POST /generate {{'prompt': {prompt!r}}} answered {body!r}",
                expected=f"{{'text': {expected[prompt]!r}}}: greedy generation of 7 new tokens "
                "(the app's default), without the prompt",
                tip="decode only the new tokens, outputs[0, prompt_length:], with skip_special_tokens=True."
                if isinstance(body, dict) and str(body.get("text", "")).startswith(prompt)
                else None,
            )


def test_the_body_can_ask_for_a_length_within_the_limit(kata, gpt2, greedy):
    model, tokenizer = gpt2
    prompt = "Rain fell softly"
    with client_of(kata, kata(model, tokenizer, max_new_tokens=3, max_new_tokens_limit=12)) as client:
        for length in (1, 12):
            body = post(kata, client, {"prompt": prompt, "max_new_tokens": length}).json()
            expected = greedy(model, tokenizer, prompt, length)
            expect(
                body == {"text": expected},
                kata,
                got=f"POST /generate {{'prompt': {prompt!r}, 'max_new_tokens': {length}}} answered {body!r}",
                expected=f"{{'text': {expected!r}}} ({length} new tokens, as the request asks)",
                tip="give the request model a field `max_new_tokens: int = Field(default=..., ge=1, "
                "le=max_new_tokens_limit)` and pass it to generate().",
            )


def test_each_app_serves_the_model_it_was_given(kata, tiny_gpt2, greedy):
    base = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    variant = tiny_gpt2.variant(79)
    other = variant.load_model(), variant.load_tokenizer()
    prompt = "The teacher wrote"
    apps = [kata(*base, max_new_tokens=8), kata(*other, max_new_tokens=8)]
    for app, (model, tokenizer) in zip(apps, [base, other], strict=True):
        expected = greedy(model, tokenizer, prompt, 8)
        with client_of(kata, app) as client:
            body = post(kata, client, {"prompt": prompt}).json()
        expect(
            body == {"text": expected},
            kata,
            got=f"the app built for {describe(model)} answered {body!r}",
            expected=f"{{'text': {expected!r}}}, the generation of the model given to this app",
            tip="the factory's endpoints use the model and tokenizer passed to it: no global model, "
            "nothing loaded by name.",
        )


def test_the_defaults_20_tokens_and_the_bounds_of_the_settings(kata, gpt2, greedy):
    """The default of 20 tokens; a one-character prompt; factory settings on their bounds: a
    default of 1, and a default equal to the limit."""
    model, tokenizer = gpt2
    for settings, prompt, length in [
        ({}, "The teacher wrote", 20),
        ({"max_new_tokens": 1}, "A", 1),
        ({"max_new_tokens": 12, "max_new_tokens_limit": 12}, "Rain", 12),
    ]:
        expected = greedy(model, tokenizer, prompt, length)
        with client_of(kata, kata(model, tokenizer, **settings)) as client:
            body = post(kata, client, {"prompt": prompt}).json()
        expect(
            body == {"text": expected},
            kata,
            got=f"the app with {settings or 'the defaults'} answered {body!r} to {{'prompt': {prompt!r}}}",
            expected=f"{{'text': {expected!r}}}: {length} new tokens"
            + (" (the default max_new_tokens is 20)" if not settings else ""),
            tip="keep the signature's defaults; max_new_tokens may be 1 or equal the limit, and a prompt of "
            "one character is not empty.",
        )


def test_greedy_without_special_tokens_on_a_model_that_samples_and_ends_early(kata, tiny_llama_sampling):
    from pytest_tfkatas.checks.helpers import greedy_continuation
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    prompt = LLAMA_EOS_PROMPTS[2]
    expected = greedy_continuation(model, tokenizer, prompt, 12)
    with client_of(kata, kata(model, tokenizer, max_new_tokens=12)) as client:
        body = post(kata, client, {"prompt": prompt}).json()
    expect(
        body == {"text": expected},
        kata,
        got=f"POST /generate {{'prompt': {prompt!r}}} answered {body!r}",
        expected=f"{{'text': {expected!r}}}: the greedy continuation, which ends early with </s> (left out)",
        tip="generate(do_sample=False) (this model's generation_config samples by default) and decode with "
        "skip_special_tokens=True.",
    )


def test_the_prompt_is_generated_as_given(kata, gpt2, greedy):
    """A prompt is any non-empty string: its spaces and newlines are part of it (a prompt of a
    space alone too), and the model continues it exactly as sent."""
    model, tokenizer = gpt2
    with client_of(kata, kata(model, tokenizer, max_new_tokens=6)) as client:
        for prompt in ["Once upon a time ", "\nThe robot read", " "]:
            response = client.post("/generate", json={"prompt": prompt})
            expect(
                response.status_code == 200,
                kata,
                got=f"POST /generate {{'prompt': {prompt!r}}} answered {response.status_code}: "
                f"{response.text[:200]}",
                expected="200: a prompt of spaces or newlines is not empty",
                tip="refuse only the empty string, Field(min_length=1), and do not strip the prompt."
                if response.status_code == 422
                else None,
            )
            body = response.json()
            expected = greedy(model, tokenizer, prompt, 6)
            expect(
                body == {"text": expected},
                kata,
                got=f"POST /generate {{'prompt': {prompt!r}}} answered {body!r}",
                expected=f"{{'text': {expected!r}}}: the continuation of the prompt as sent, spaces included",
                tip="tokenize request.prompt as it is: stripping it changes what the model continues.",
            )


def test_the_limit_given_to_the_factory_bounds_the_body(kata, gpt2):
    """Each app's own max_new_tokens_limit: a request for exactly the limit is served, one token more
    gets 422, whether the limit is below the default of 64 or above it."""
    model, tokenizer = gpt2
    tip = (
        "bound the field by the factory's argument, Field(..., le=max_new_tokens_limit), not a fixed number."
    )
    for limit in (12, 80):
        with client_of(kata, kata(model, tokenizer, max_new_tokens=4, max_new_tokens_limit=limit)) as client:
            for length, status in [(limit + 1, 422), (limit, 200)]:
                response = client.post("/generate", json={"prompt": "Hello", "max_new_tokens": length})
                expect(
                    response.status_code == status,
                    kata,
                    got=f"POST /generate {{'prompt': 'Hello', 'max_new_tokens': {length}}} answered "
                    f"{response.status_code}, with max_new_tokens_limit={limit}",
                    expected=f"{status}: the app's limit is {limit}, and {length} is "
                    + ("above it" if status == 422 else "within it"),
                    tip=tip,
                )


@pytest.mark.parametrize(
    ("body", "what"),
    [
        ({}, "a body without a prompt"),
        ({"prompt": 42}, "a prompt that is not a string"),
        ({"prompt": ""}, "an empty prompt"),
        ({"prompt": "Hello", "max_new_tokens": 0}, "max_new_tokens below 1"),
        ({"prompt": "Hello", "max_new_tokens": 65}, "max_new_tokens above the limit"),
        ({"prompt": "Hello", "max_new_tokens": "many"}, "max_new_tokens that is not a number"),
    ],
    ids=["no prompt", "number prompt", "empty prompt", "zero tokens", "too many tokens", "text tokens"],
)
def test_a_malformed_body_gets_422(kata, gpt2, body, what):
    model, tokenizer = gpt2
    with client_of(kata, kata(model, tokenizer)) as client:
        response = client.post("/generate", json=body)
    expect(
        response.status_code == 422,
        kata,
        got=f"POST /generate {body} ({what}) answered {response.status_code}: {response.text[:200]}",
        expected="422 Unprocessable Entity, before the model runs",
        tip="let pydantic validate the body: `prompt: str = Field(min_length=1)` and "
        "`max_new_tokens: int = Field(default=..., ge=1, le=max_new_tokens_limit)`.",
    )


def test_health_answers_while_a_generation_runs(kata, gpt2):
    model, tokenizer = gpt2
    generate = model.generate
    started, release = threading.Event(), threading.Event()

    def slow_generate(*args, **kwargs):
        started.set()
        release.wait(timeout=10)  # a long generation, until the check lets it finish
        return generate(*args, **kwargs)

    model.generate = slow_generate
    answers: dict[str, object] = {}
    with client_of(kata, kata(model, tokenizer)) as client:
        health = client.get("/health")
        expect(
            health.status_code == 200 and health.json() == {"status": "ok"},
            kata,
            got=f"GET /health answered {health.status_code}: {health.text[:200]}",
            expected="200 with {'status': 'ok'}",
            tip='add `@app.get("/health")` returning {"status": "ok"}.',
        )
        first = threading.Thread(
            target=lambda: answers.update(generate=client.post("/generate", json={"prompt": "Hi"}))
        )
        first.start()
        deadline = time.monotonic() + 10
        while not started.wait(timeout=0.05) and first.is_alive() and time.monotonic() < deadline:
            pass
        if not started.is_set():
            release.set()
            first.join()
            response = answers.get("generate")
            answered = (
                f"answered {response.status_code}: {response.text[:200]}" if response else "gave no answer"
            )
            fail(
                f"Called {kata.last_call}.\nPOST /generate {{'prompt': 'Hi'}} {answered} without calling "
                "model.generate()."
            )
        second = threading.Thread(target=lambda: answers.update(health=client.get("/health")), daemon=True)
        second.start()
        second.join(timeout=5)
        blocked = second.is_alive()
        release.set()
        first.join()
        second.join()
    expect(
        not blocked,
        kata,
        got="GET /health waited until POST /generate had finished",
        expected="/health to answer while a generation is still running",
        tip="model.generate() blocks: inside `async def` it freezes the event loop and every other request "
        "waits. Declare the endpoint with plain `def` (FastAPI runs it in a thread pool), or await "
        "starlette.concurrency.run_in_threadpool(...).",
    )


@pytest.mark.parametrize(
    ("settings", "because"),
    [
        ({"max_new_tokens": 0}, "max_new_tokens must be at least 1"),
        ({"max_new_tokens": 100, "max_new_tokens_limit": 64}, "the default cannot exceed the limit"),
    ],
    ids=["zero default", "default above limit"],
)
def test_bad_settings_raise_value_error(kata, gpt2, settings, because):
    model, tokenizer = gpt2
    expect_raises(kata, ValueError, model, tokenizer, because=because, **settings)
