"""Hidden checks: generate_without_repeats."""

from __future__ import annotations

from collections import Counter

import pytest
import torch

from pytest_tfkatas.harness import expect, expect_raises
from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS, LLAMA_LONG_PROMPT


def continuation_ids(model, tokenizer, prompt, n, max_new_tokens) -> tuple[list[int], list[int]]:
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        output = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            num_beams=1,
            no_repeat_ngram_size=n,
            pad_token_id=tokenizer.eos_token_id,
        )
    return inputs["input_ids"][0].tolist(), output[0, inputs["input_ids"].shape[1] :].tolist()


def repeated(ids: list[int], n: int) -> list[tuple[int, ...]]:
    counts = Counter(tuple(ids[i : i + n]) for i in range(len(ids) - n + 1))
    return [gram for gram, count in counts.items() if count > 1]


def check(kata, model, tokenizer, prompt, what: str, n: int | None = None, max_new_tokens: int | None = None):
    __tracebackhide__ = True
    settings = {
        key: value
        for key, value in (("no_repeat_ngram_size", n), ("max_new_tokens", max_new_tokens))
        if value is not None
    }
    n, max_new_tokens = n or 3, max_new_tokens or 30
    _, new_ids = continuation_ids(model, tokenizer, prompt, n, max_new_tokens)
    expected = tokenizer.decode(new_ids, skip_special_tokens=True)
    text = kata(model, tokenizer, prompt, **settings)
    tip = None
    if isinstance(text, str):
        got_ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        if repeated(got_ids, n):
            tip = (
                f"the text repeats runs of {n} tokens: pass no_repeat_ngram_size={n} to generate "
                "(repetition_penalty only makes repeats less likely)."
            )
        elif text.startswith(prompt):
            tip = "decode only the new tokens, after the prompt's."
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}: greedy, no run of {n} tokens twice ({what})",
        tip=tip or "greedy (do_sample=False) with no_repeat_ngram_size, up to max_new_tokens new tokens.",
    )


def test_a_looping_model_stops_looping(kata, gpt2):
    """The tiny GPT-2 loops ("the the the ..."): the defaults, 3-grams and 30 tokens."""
    model, tokenizer = gpt2
    for prompt in ("Once upon a time", "The robot read"):
        check(kata, model, tokenizer, prompt, "the defaults")


@pytest.mark.parametrize(("n", "max_new_tokens"), [(2, 25), (1, 12), (4, 30)])
def test_the_size_of_the_ngrams_is_the_one_given(kata, gpt2, n, max_new_tokens):
    model, tokenizer = gpt2
    check(kata, model, tokenizer, "The cat sat on", f"n={n}", n=n, max_new_tokens=max_new_tokens)


def test_greedy_on_a_model_whose_generation_config_samples(kata, tiny_llama_sampling):
    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    for prompt in (LLAMA_EOS_PROMPTS[0], LLAMA_LONG_PROMPT):
        check(kata, model, tokenizer, prompt, "asked for greedy explicitly", n=2, max_new_tokens=20)
    model.generation_config.num_beams = 3  # greedy is one beam too: say so
    check(
        kata,
        model,
        tokenizer,
        LLAMA_LONG_PROMPT,
        "one beam, though the config says 3",
        n=2,
        max_new_tokens=20,
    )


@pytest.mark.parametrize(
    ("prompt", "settings", "because"),
    [
        ("", {}, "an empty prompt has nothing to continue"),
        ("Once", {"no_repeat_ngram_size": 0}, "an n-gram has at least 1 token"),
        ("Once", {"no_repeat_ngram_size": -2}, "an n-gram has at least 1 token"),
        ("Once", {"max_new_tokens": 0}, "max_new_tokens must be at least 1"),
    ],
    ids=["empty prompt", "0-grams", "negative n", "no new tokens"],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompt, settings, because):
    model, tokenizer = gpt2
    expect_raises(kata, ValueError, model, tokenizer, prompt, because=because, **settings)
