"""Hidden checks: decode_three_ways."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises
from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS, LLAMA_LONG_PROMPT


def expected_texts(model, tokenizer, prompt, max_new_tokens=20, num_beams=4, temperature=0.7, seed=0):
    inputs = tokenizer(prompt, return_tensors="pt")
    start = inputs["input_ids"].shape[1]

    def generate(**settings) -> str:
        with torch.no_grad():
            output = model.generate(
                **inputs, max_new_tokens=max_new_tokens, pad_token_id=tokenizer.eos_token_id, **settings
            )
        return tokenizer.decode(output[0, start:], skip_special_tokens=True)

    greedy = generate(do_sample=False, num_beams=1)
    beam = generate(do_sample=False, num_beams=num_beams)
    torch.manual_seed(seed)
    sampled = generate(do_sample=True, num_beams=1, temperature=temperature)
    return {"greedy": greedy, "beam": beam, "sampled": sampled}


def check(kata, model, tokenizer, prompt, what: str, **settings) -> None:
    __tracebackhide__ = True
    torch.manual_seed(12345)  # whatever the global state: only the seed argument may matter
    result = kata(model, tokenizer, prompt, **settings)
    expected = expected_texts(model, tokenizer, prompt, **settings)
    expect(
        isinstance(result, dict) and set(result) == set(expected),
        kata,
        got=describe(result),
        expected="a dict with the keys 'greedy', 'beam' and 'sampled'",
    )
    tips = {
        "greedy": "greedy is do_sample=False with one beam: say so, a generation_config may sample.",
        "beam": "beam search is num_beams=num_beams with do_sample=False.",
        "sampled": "sample with do_sample=True and temperature=temperature (top_k and top_p left to "
        "the model's generation_config), after "
        "transformers.set_seed(seed) right before that call.",
    }
    for way, text in expected.items():
        got = result[way]
        tip = tips[way]
        if isinstance(got, str) and got.startswith(prompt):
            tip = "decode only the new tokens: output[0, prompt_length:]."
        expect(got == text, kata, got=f"{way}: {got!r}", expected=f"{text!r} ({what})", tip=tip)


def test_the_three_continuations_of_gpt2(kata, gpt2):
    model, tokenizer = gpt2
    check(
        kata,
        model,
        tokenizer,
        "Once upon a time",
        "the defaults: 20 tokens, 4 beams, temperature 0.7, seed 0",
    )


def test_on_a_model_whose_generation_config_samples_and_ends_early(kata, tiny_llama_sampling):
    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    for prompt in (LLAMA_EOS_PROMPTS[0], LLAMA_LONG_PROMPT):
        check(kata, model, tokenizer, prompt, "each way asked for explicitly")
    # A generation_config that also asks for 3 beams: greedy and sampling say num_beams=1 themselves.
    model.generation_config.num_beams = 3
    for prompt in (LLAMA_EOS_PROMPTS[0], LLAMA_LONG_PROMPT):
        check(kata, model, tokenizer, prompt, "one beam asked for, though the model's config says 3")
    model.generation_config.num_beams = 1
    # Hot enough for tokens outside the 50 likeliest to be drawn: this model's top_k is 0 (none).
    check(
        kata,
        model,
        tokenizer,
        LLAMA_LONG_PROMPT,
        "temperature 1.5, seed 3, and the model's own top_k=0: no top-k filter",
        temperature=1.5,
        seed=3,
    )


@pytest.mark.parametrize(
    "settings",
    [
        {"num_beams": 2, "temperature": 1.3, "seed": 5, "max_new_tokens": 6},
        {"num_beams": 3, "temperature": 0.2, "seed": 11, "max_new_tokens": 1},
    ],
    ids=["2 beams, hot, seed 5", "3 beams, cold, seed 11, one token"],
)
def test_each_way_follows_its_own_settings(kata, tiny_llama, settings):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    check(
        kata,
        model,
        tokenizer,
        LLAMA_LONG_PROMPT,
        ", ".join(f"{k}={v}" for k, v in settings.items()),
        **settings,
    )


def test_the_same_seed_gives_the_same_sample_and_another_seed_another(kata, tiny_llama):
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    samples = []
    for seed, noise in ((7, 1), (7, 2), (8, 3)):
        torch.manual_seed(noise)
        samples.append(kata(model, tokenizer, LLAMA_LONG_PROMPT, seed=seed, temperature=1.5)["sampled"])
    expect(
        samples[0] == samples[1] != samples[2],
        kata,
        got=f"sampled {samples[0]!r} and {samples[1]!r} for seed 7, {samples[2]!r} for seed 8",
        expected="the same text for the same seed, whatever came before, and another for another seed",
        tip="transformers.set_seed(seed) right before the sampling call.",
    )


@pytest.mark.parametrize(
    ("prompt", "settings", "because"),
    [
        ("", {}, "an empty prompt has nothing to continue"),
        ("Once", {"max_new_tokens": 0}, "max_new_tokens must be at least 1"),
        ("Once", {"num_beams": 1}, "one beam is greedy search, not beam search"),
        ("Once", {"temperature": 0.0}, "temperature must be more than 0"),
        ("Once", {"temperature": -0.5}, "temperature must be more than 0"),
        ("Once", {"temperature": float("nan")}, "NaN is not a temperature"),
    ],
    ids=["empty prompt", "no new tokens", "one beam", "zero temperature", "negative temperature", "NaN"],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompt, settings, because):
    model, tokenizer = gpt2
    passes: list[int] = []
    model.register_forward_pre_hook(lambda module, args: passes.append(1))
    expect_raises(kata, ValueError, model, tokenizer, prompt, because=because, **settings)
    expect(
        not passes,
        kata,
        got=f"ValueError raised after {len(passes)} forward passes of the model",
        expected="ValueError before anything is generated",
        tip="check every argument first, before the first generate() call.",
    )
