"""Hidden checks: generate_text."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.checks.helpers import greedy_continuation
from pytest_tfkatas.harness import expect, expect_raises

PROMPTS = ["Once upon a time", "The robot read", "A good question", "Rain fell softly", "The teacher wrote"]
LONG_PROMPT = (
    "The river runs past the mill, past the bridge, and down to the wide blue sea while the "
    "village lights glow in the evening"
)


def reference_generate(model, tokenizer, prompt: str, seed: int | None = None, **settings) -> str:
    inputs = tokenizer(prompt, return_tensors="pt")
    if seed is not None:
        torch.manual_seed(seed)
    with torch.no_grad():
        outputs = model.generate(**inputs, **settings)
    return tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


def test_greedy_generation_returns_only_the_continuation(kata, gpt2):
    model, tokenizer = gpt2
    # Prompts whose continuations differ, so that no fixed answer can pass.
    expectations = {greedy_continuation(model, tokenizer, prompt, 6): prompt for prompt in PROMPTS}
    for expected, prompt in list(expectations.items())[:3]:
        text = kata(model, tokenizer, prompt, max_new_tokens=6)
        tip = None
        if isinstance(text, str) and text.startswith(prompt):
            tip = "generate() returns the prompt's tokens too: decode only outputs[0, prompt_length:]."
        elif isinstance(text, str) and text != expected and "<|endoftext|>" in text:
            tip = "decode with skip_special_tokens=True."
        expect(
            text == expected,
            kata,
            got=repr(text),
            expected=f"{expected!r} (the model's greedy continuation, without the prompt)",
            tip=tip,
        )


@pytest.mark.parametrize("name", ["llama", "llama-sampling"])
def test_greedy_by_default_on_another_architecture_that_stops_early(kata, name, request):
    """A Llama-style model that ends these prompts early with </s> (which must not reach the text);
    the "llama-sampling" one has a generation_config that samples by default, so greedy must be
    asked for: do_sample=False is the kata's default, not the model's."""
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    tiny = request.getfixturevalue(f"tiny_{name.replace('-', '_')}")
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    config_before = model.generation_config.to_dict()
    for prompt in (LLAMA_EOS_PROMPTS[0], "Once upon a time"):
        expected = greedy_continuation(model, tokenizer, prompt, 12)
        text = kata(model, tokenizer, prompt, max_new_tokens=12)
        tip = None
        if isinstance(text, str) and "</s>" in text:
            tip = "decode with skip_special_tokens=True."
        elif name == "llama-sampling" and isinstance(text, str) and text != expected:
            tip = (
                "this model's generation_config samples by default: pass do_sample=do_sample to "
                "generate(), so the default False means greedy."
            )
        expect(
            text == expected,
            kata,
            got=repr(text),
            expected=f"{expected!r}: the greedy continuation, up to the model's end-of-sequence token",
            tip=tip,
        )
    changed = {
        key: (value, model.generation_config.to_dict().get(key))
        for key, value in config_before.items()
        if model.generation_config.to_dict().get(key) != value
    }
    expect(
        not changed,
        kata,
        got="model.generation_config changed: "
        + ", ".join(f"{key} {before!r} -> {after!r}" for key, (before, after) in changed.items()),
        expected="the model's generation_config left as it was",
        tip="pass the settings to generate() as arguments (do_sample=do_sample, ...) instead of "
        "setting them on model.generation_config, which the caller's later generate() calls use.",
    )


def test_the_prompt_is_continued_exactly_as_given(kata, gpt2):
    """Spaces are part of the prompt: a trailing space changes the tokens, and a prompt of spaces
    is not empty."""
    model, tokenizer = gpt2
    for prompt in ("Once upon a time ", "  The robot read", " ", "the ROBOT read\n"):
        expected = greedy_continuation(model, tokenizer, prompt, 6)
        text = kata(model, tokenizer, prompt, max_new_tokens=6)
        expect(
            text == expected,
            kata,
            got=repr(text),
            expected=f"{expected!r}: the greedy continuation of the prompt {prompt!r}, spaces and case kept",
            tip="tokenize the prompt as it is: no strip(), no lower(); only an empty prompt is refused.",
        )


def test_max_new_tokens_counts_only_the_new_tokens(kata, gpt2):
    model, tokenizer = gpt2
    prompt_length = len(tokenizer(LONG_PROMPT)["input_ids"])
    text = kata(model, tokenizer, LONG_PROMPT, max_new_tokens=4)
    expected = greedy_continuation(model, tokenizer, LONG_PROMPT, 4)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}: 4 new tokens after a prompt of {prompt_length} tokens",
        tip="max_length counts the prompt too; pass max_new_tokens to generate().",
    )


def test_the_defaults_are_20_new_tokens_and_plain_sampling_and_1_is_a_limit(kata, gpt2):
    model, tokenizer = gpt2
    prompt = "The teacher wrote"
    expected = greedy_continuation(model, tokenizer, prompt, 20)
    text = kata(model, tokenizer, prompt)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}: the greedy continuation of 20 new tokens, the default max_new_tokens",
        tip="keep the signature's defaults and pass them on to generate().",
    )
    one = greedy_continuation(model, tokenizer, prompt, 1)
    text = kata(model, tokenizer, prompt, max_new_tokens=1)
    expect(text == one, kata, got=repr(text), expected=f"{one!r}: one new token, max_new_tokens=1 is allowed")
    sampled = reference_generate(
        model, tokenizer, prompt, seed=5, max_new_tokens=20, do_sample=True, temperature=1.0, top_p=1.0
    )
    text = kata(model, tokenizer, prompt, do_sample=True, seed=5)
    expect(
        text == sampled,
        kata,
        got=repr(text),
        expected=f"{sampled!r}: seeded with 5, sampled with the defaults temperature=1.0, top_p=1.0",
        tip="keep the signature's defaults (temperature=1.0, top_p=1.0) and forward them to generate().",
    )


def test_beam_search_uses_num_beams(kata, gpt2):
    model, tokenizer = gpt2
    # A prompt where beam search and greedy decoding disagree, so that the check can tell them apart.
    for prompt in PROMPTS:
        beams = reference_generate(model, tokenizer, prompt, max_new_tokens=8, num_beams=4, do_sample=False)
        if beams != greedy_continuation(model, tokenizer, prompt, 8):
            break
    text = kata(model, tokenizer, prompt, max_new_tokens=8, num_beams=4)
    expect(
        text == beams,
        kata,
        got=repr(text),
        expected=f"{beams!r}, the result of beam search with 4 beams",
        tip="forward num_beams to model.generate().",
    )


def test_sampling_follows_the_seed_and_settings(kata, gpt2):
    model, tokenizer = gpt2
    prompt = "Once upon a time"
    settings = {"max_new_tokens": 10, "do_sample": True, "temperature": 0.7, "top_p": 0.9}
    first = kata(model, tokenizer, prompt, seed=3, **settings)
    again = kata(model, tokenizer, prompt, seed=3, **settings)
    expect(
        first == again,
        kata,
        got=f"{first!r} on one call and {again!r} on the next",
        expected="the same text for the same seed",
        tip="call transformers.set_seed(seed) (or torch.manual_seed(seed)) right before generate().",
    )
    zero = reference_generate(model, tokenizer, prompt, seed=0, **settings)
    for _ in range(2):
        text = kata(model, tokenizer, prompt, seed=0, **settings)
        expect(
            text == zero,
            kata,
            got=repr(text),
            expected=f"{zero!r}: torch seeded with 0 (a seed like any other) right before generate()",
            tip="test `if seed is not None:`; `if seed:` skips the seed 0.",
        )
    texts = {kata(model, tokenizer, prompt, seed=seed, **settings) for seed in range(4)}
    expect(
        len(texts) > 1,
        kata,
        got=f"the same text {first!r} for seeds 0, 1, 2 and 3",
        expected="different samples for different seeds",
        tip="pass do_sample=do_sample to generate(): without it, generation is greedy.",
    )
    # Each setting on its own, so that forgetting either one shows.
    for temperature, top_p in [(0.7, 0.9), (2.0, 1.0), (1.0, 0.3)]:
        chosen = {**settings, "temperature": temperature, "top_p": top_p}
        text = kata(model, tokenizer, prompt, seed=3, **chosen)
        expected = reference_generate(model, tokenizer, prompt, seed=3, **chosen)
        expect(
            text == expected,
            kata,
            got=repr(text),
            expected=f"{expected!r}: torch seeded with 3, then generate(do_sample=True, "
            f"temperature={temperature}, top_p={top_p})",
            tip="forward temperature and top_p to generate(), and seed just before calling it.",
        )


@pytest.mark.parametrize(
    ("prompt", "max_new_tokens", "because"),
    [
        ("", 5, "an empty prompt gives the model nothing to continue"),
        ("Once upon a time", 0, "max_new_tokens must be at least 1"),
        ("Once upon a time", -3, "max_new_tokens must be at least 1"),
    ],
    ids=["empty prompt", "zero new tokens", "negative new tokens"],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompt, max_new_tokens, because):
    model, tokenizer = gpt2
    expect_raises(kata, ValueError, model, tokenizer, prompt, max_new_tokens=max_new_tokens, because=because)
