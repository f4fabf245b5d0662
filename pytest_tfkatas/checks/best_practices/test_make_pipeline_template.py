"""Hidden checks: make_pipeline_template."""

from __future__ import annotations

import shutil

import pytest
from transformers import pipeline

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail

PROMPTS = zoo.corpus()[3:5]
GREEDY = {"do_sample": False, "return_full_text": False}


def template_of(kata, result):
    expect(
        callable(result),
        kata,
        got=describe(result),
        expected="a function run(inputs, **overrides) that calls the pipeline",
    )
    return result


def call(kata, run, inputs, tip=None, **overrides):
    """Call the template's function; an error there is reported like one from the kata."""
    shown = ", ".join([repr(inputs), *(f"{key}={value!r}" for key, value in overrides.items())])
    try:
        return run(inputs, **overrides)
    except Exception as error:
        fail(
            f"Called {kata.last_call}, then run({shown}) on the function it returned.\n"
            f"Got:      {type(error).__name__}: {error}\n"
            "Expected: the pipeline's output" + (f"\nTip: {tip}" if tip else "")
        )


def test_the_template_applies_its_defaults(kata, tiny_gpt2):
    run = template_of(kata, kata("text-generation", tiny_gpt2.path, max_new_tokens=3, **GREEDY))
    direct = pipeline("text-generation", model=str(tiny_gpt2.path))
    for prompt in PROMPTS:
        got = call(
            kata, run, prompt, tip="call the pipeline with the template's defaults: pipe(inputs, **defaults)."
        )
        expected = direct(prompt, max_new_tokens=3, **GREEDY)
        expect(
            got == expected,
            kata,
            got=f"run({prompt!r}) returned {describe(got)}",
            expected=f"{describe(expected)}, the pipeline's output with max_new_tokens=3, do_sample=False, "
            "return_full_text=False",
            tip="call the pipeline with the template's defaults: pipe(inputs, **defaults).",
        )


def test_the_callers_arguments_win_over_the_defaults(kata, tiny_gpt2):
    run = template_of(kata, kata("text-generation", tiny_gpt2.path, max_new_tokens=2, **GREEDY))
    direct = pipeline("text-generation", model=str(tiny_gpt2.path))
    prompt = PROMPTS[0]
    got = call(kata, run, prompt, max_new_tokens=7)
    expected = direct(prompt, max_new_tokens=7, **GREEDY)
    expect(
        got == expected,
        kata,
        got=f"run({prompt!r}, max_new_tokens=7) returned {describe(got)}",
        expected=f"{describe(expected)}: a keyword given to run() overrides the template's default",
        tip="merge with the call's keywords last: pipe(inputs, **{**defaults, **overrides}).",
    )


def test_an_override_applies_to_its_own_call_only(kata, tiny_gpt2):
    """A call's keyword must not become the next call's default (a shared dict updated in place)."""
    run = template_of(kata, kata("text-generation", tiny_gpt2.path, max_new_tokens=2, **GREEDY))
    direct = pipeline("text-generation", model=str(tiny_gpt2.path))
    prompt = PROMPTS[1]
    call(kata, run, prompt, max_new_tokens=6)
    got = call(kata, run, prompt)
    expected = direct(prompt, max_new_tokens=2, **GREEDY)
    expect(
        got == expected,
        kata,
        got=f"run({prompt!r}, max_new_tokens=6), then run({prompt!r}) returned {describe(got)}",
        expected=f"{describe(expected)}: the second call with the template's own max_new_tokens=2",
        tip="merge into a new dict at every call, {**defaults, **overrides}: updating the defaults in "
        "place keeps the first call's override for every later call.",
    )


def test_an_override_of_none_wins_too(kata, tiny_bert):
    """None is a value a caller may give (top_k=None asks for every label): it overrides a default
    like any other value, and the template's own default still holds for the next call."""
    run = template_of(kata, kata("sentiment-analysis", tiny_bert.path, top_k=1))
    direct = pipeline("sentiment-analysis", model=str(tiny_bert.path))
    texts = ["What a lovely quiet morning.", "The robot broke the old lamp."]
    for overrides in ({"top_k": None}, {}):
        got = call(kata, run, texts, **overrides)
        expected = direct(texts, top_k=overrides.get("top_k", 1))
        shown = "".join(f", {key}={value!r}" for key, value in overrides.items())
        expect(
            got == expected,
            kata,
            got=f"run({texts!r}{shown}) returned {describe(got)}",
            expected=f"{describe(expected)}: "
            + (
                "top_k=None given to run() wins over the default top_k=1"
                if overrides
                else "the default top_k=1"
            ),
            tip="pass on every keyword the caller gave, None included: {**defaults, **overrides}.",
        )


def test_the_pipeline_is_built_once_from_the_given_model(kata, tiny_bert, tmp_path):
    variant = tiny_bert.variant(seed=5)
    folder = shutil.copytree(variant.path, tmp_path / "sentiment-model")
    run = template_of(kata, kata("sentiment-analysis", folder, top_k=None))
    shutil.rmtree(folder)  # a template built once does not need the files any more
    direct = pipeline("sentiment-analysis", model=str(variant.path))
    texts = ["What a lovely quiet morning.", "The robot broke the old lamp."]
    got = call(
        kata,
        run,
        texts,
        tip="build the pipeline once, in make_pipeline_template; run() only calls it, without reading files.",
    )
    expected = direct(texts, top_k=None)
    expect(
        got == expected,
        kata,
        got=f"run({texts!r}) returned {describe(got)}",
        expected=f"{describe(expected)}, the scores of the model in the folder it was given, all labels",
        tip=(
            "build the pipeline once, in make_pipeline_template, from model_name_or_path; "
            "run() only calls it."
        ),
    )


@pytest.mark.parametrize(
    "task",
    [
        "summarization",
        "translation",
        "translation_en_to_fr",
        "question-answering",
        "text2text-generation",
        "visual-question-answering",
        "image-to-image",
    ],
)
def test_a_task_removed_in_v5_is_refused_clearly(kata, task, tmp_path):
    error = expect_raises(
        kata,
        ValueError,
        task,
        tmp_path / "no-model-needed",
        because=f"transformers 5 removed the {task!r} pipeline; say so before loading any model",
        match="removed",
    )
    expect(
        task in str(error),
        kata,
        got=f"ValueError: {error}",
        expected=f"a message that names the task {task!r}",
    )


def test_an_unknown_task_is_a_value_error(kata, tiny_gpt2):
    expect_raises(
        kata,
        ValueError,
        "text-generaton",
        tiny_gpt2.path,
        because="'text-generaton' is not a pipeline task (a typo of 'text-generation')",
        match="text-generaton",
    )


def test_a_missing_model_fails_when_the_template_is_made(kata, tmp_path):
    expect_raises(
        kata,
        OSError,
        "text-generation",
        tmp_path / "no-such-model",
        because="the template builds its pipeline right away, so a missing model is reported at once",
    )
