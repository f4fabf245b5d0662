"""Hidden checks: generate_with_pipeline."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.checks.helpers import greedy_continuation
from pytest_tfkatas.harness import expect, expect_raises
from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS, LLAMA_LONG_PROMPT

PROMPTS = ["Once upon a time", "The robot read", "Rain fell softly"]


def generated(model, tokenizer, prompt: str, seed: int | None = None, **settings) -> str:
    """model.generate written out: the new tokens only, decoded without special tokens."""
    inputs = tokenizer(prompt, return_tensors="pt")
    if seed is not None:
        torch.manual_seed(seed)
    with torch.no_grad():
        output = model.generate(**inputs, pad_token_id=tokenizer.eos_token_id, **settings)
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


def _tip(text: object, prompt: str, expected: str) -> str | None:
    if not isinstance(text, str):
        return "return result[0]['generated_text'], a str."
    if text.startswith(prompt):
        return "pass return_full_text=False: the pipeline then leaves the prompt out."
    if text.strip() == expected.strip() and text != expected:
        return "return the text as the pipeline gives it: its leading space belongs to the continuation."
    return None


@pytest.mark.parametrize("name", ["gpt2", "llama"])
def test_the_greedy_continuation_without_the_prompt(kata, name, request):
    tiny = request.getfixturevalue(f"tiny_{name}")
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    for prompt in [*PROMPTS, LLAMA_LONG_PROMPT]:
        expected = greedy_continuation(model, tokenizer, prompt, 7)
        text = kata(model, tokenizer, prompt, max_new_tokens=7)
        expect(
            text == expected,
            kata,
            got=repr(text),
            expected=f"{expected!r}: the greedy continuation of 7 new tokens, without the prompt",
            tip=_tip(text, prompt, expected),
        )


@pytest.mark.parametrize("prompt", ["Once upon a time ", "  The robot read", " "], ids=repr)
def test_spaces_are_part_of_the_prompt(kata, gpt2, prompt):
    """GPT-2 reads spaces as tokens: a stripped prompt continues differently, and a prompt of
    spaces is not empty."""
    model, tokenizer = gpt2
    expected = greedy_continuation(model, tokenizer, prompt, 6)
    text = kata(model, tokenizer, prompt, max_new_tokens=6)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}: the greedy continuation of {prompt!r} as it is, spaces included",
        tip=_tip(text, prompt, expected)
        or "pass the prompt on as it is: no strip(); only an empty prompt is refused.",
    )


def test_greedy_and_20_tokens_by_default_on_a_model_that_samples_and_ends_early(kata, tiny_llama_sampling):
    """This model's generation_config samples (temperature 1.5): greedy must be asked for. The
    first prompt ends early with </s>, which stays out of the text; the second runs past 20
    tokens, so the default of 20 new tokens shows."""
    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    for prompt in (LLAMA_EOS_PROMPTS[0], LLAMA_LONG_PROMPT):
        expected = greedy_continuation(model, tokenizer, prompt, 20)
        text = kata(model, tokenizer, prompt)
        tip = _tip(text, prompt, expected)
        if tip is None and isinstance(text, str) and "</s>" in text:
            tip = "special tokens stay out of the text (the pipeline decodes with skip_special_tokens)."
        elif tip is None:
            tip = (
                "keep the default max_new_tokens=20, and pass do_sample=False unless the caller asks "
                "otherwise: this model's generation_config samples."
            )
        expect(
            text == expected,
            kata,
            got=repr(text),
            expected=f"{expected!r}: greedy, up to 20 new tokens (the defaults)",
            tip=tip,
        )


def test_one_new_token_is_a_limit_too(kata, tiny_llama):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    expected = greedy_continuation(model, tokenizer, LLAMA_LONG_PROMPT, 1)
    text = kata(model, tokenizer, LLAMA_LONG_PROMPT, max_new_tokens=1)
    expect(text == expected, kata, got=repr(text), expected=f"{expected!r}: one new token")


@pytest.mark.parametrize(
    "settings",
    [
        {"do_sample": True, "top_k": 5, "temperature": 0.7},
        {"num_beams": 3},
    ],
    ids=["top-k sampling", "beam search"],
)
def test_the_callers_settings_are_passed_on_and_win(kata, tiny_llama, settings):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    for seed, prompt in ((3, "Once upon a time"), (11, LLAMA_LONG_PROMPT)):
        torch.manual_seed(seed)
        text = kata(model, tokenizer, prompt, max_new_tokens=8, **settings)
        expected = generated(model, tokenizer, prompt, seed, max_new_tokens=8, **settings)
        shown = ", ".join(f"{key}={value!r}" for key, value in settings.items())
        expect(
            text == expected,
            kata,
            got=repr(text),
            expected=f"{expected!r}: the continuation with {shown} (torch seeded with {seed} first)",
            tip="pass the caller's settings to the pipeline call after your own defaults: "
            "{'do_sample': False, **generation}.",
        )


@pytest.mark.parametrize(
    ("prompt", "max_new_tokens", "because"),
    [
        ("", 5, "an empty prompt has nothing to continue"),
        ("Once upon a time", 0, "max_new_tokens must be at least 1"),
        ("Once upon a time", -3, "max_new_tokens must be at least 1"),
    ],
    ids=["empty prompt", "zero new tokens", "negative new tokens"],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompt, max_new_tokens, because):
    model, tokenizer = gpt2
    expect_raises(kata, ValueError, model, tokenizer, prompt, max_new_tokens=max_new_tokens, because=because)
