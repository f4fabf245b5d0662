"""Hidden checks: generate_sequences."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

GREEDY_TIP = (
    "greedy decoding has a single answer, so generate(num_return_sequences=n) without sampling is a "
    "ValueError in transformers 5: pass do_sample=True (seeded) or num_beams >= n."
)


def call(kata, *args, **kwargs):
    """Call the kata; the seed's greedy call gets a tip instead of a bare traceback."""
    try:
        return kata(*args, **kwargs)
    except ValueError as error:
        if "num_return_sequences" not in str(error) or "Greedy" not in str(error):
            raise
        fail_call(kata, got=f"ValueError: {error}", expected="a list of sequences", tip=GREEDY_TIP)


def reference(model, tokenizer, prompt: str, n: int, seed: int | None = None, **settings) -> list[str]:
    inputs = tokenizer(prompt, return_tensors="pt")
    if seed is not None:
        torch.manual_seed(seed)
    with torch.no_grad():
        outputs = model.generate(**inputs, num_return_sequences=n, **settings)
    new = outputs[:, inputs["input_ids"].shape[1] :]
    return [tokenizer.decode(row, skip_special_tokens=True) for row in new]


def check_list_of_strings(kata, result, n: int) -> None:
    ok = isinstance(result, list) and len(result) == n and all(isinstance(text, str) for text in result)
    expect(ok, kata, got=describe(result), expected=f"a list of {n} strings")


@pytest.mark.parametrize(("prompt", "n", "seed"), [("Once upon a time", 4, 3), ("The robot read", 2, 11)])
def test_sampling_returns_the_seeded_samples(kata, gpt2, prompt, n, seed):
    model, tokenizer = gpt2
    texts = call(kata, model, tokenizer, prompt, n, max_new_tokens=8, seed=seed)
    check_list_of_strings(kata, texts, n)
    expected = reference(model, tokenizer, prompt, n, seed=seed, max_new_tokens=8, do_sample=True)
    tip = None
    if any(text.startswith(prompt) for text in texts):
        tip = (
            "each row of generate()'s output starts with the prompt: decode only outputs[:, prompt_length:]."
        )
    elif len(set(texts)) == 1:
        tip = "generate all the sequences in one call: model.generate(..., num_return_sequences=n)."
    else:
        tip = "seed torch right before generate(..., do_sample=True, num_return_sequences=n)."
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r} (torch seeded with {seed}, then {n} samples of {8} new tokens)",
        tip=tip,
    )


def test_the_same_seed_gives_the_same_sequences(kata, gpt2):
    model, tokenizer = gpt2
    first = call(kata, model, tokenizer, "A good question", 3, max_new_tokens=8, seed=5)
    again = call(kata, model, tokenizer, "A good question", 3, max_new_tokens=8, seed=5)
    expect(
        first == again,
        kata,
        got=f"{first!r} on one call and {again!r} on the next",
        expected="the same sequences for the same seed",
        tip="call transformers.set_seed(seed) (or torch.manual_seed(seed)) right before generate().",
    )
    other = call(kata, model, tokenizer, "A good question", 3, max_new_tokens=8, seed=6)
    expect(
        other != first,
        kata,
        got=f"the same sequences {first!r} for seeds 5 and 6",
        expected="other samples for another seed",
    )


def test_the_sequences_differ_from_one_another(kata, gpt2):
    model, tokenizer = gpt2
    texts = call(kata, model, tokenizer, "Rain fell softly", 5, max_new_tokens=10, seed=0)
    check_list_of_strings(kata, texts, 5)
    expect(
        len(set(texts)) > 1,
        kata,
        got=f"five identical sequences {texts[0]!r}",
        expected="five samples, not one sample repeated",
        tip="sample the sequences with do_sample=True and num_return_sequences=n, in one generate() call.",
    )


def test_beam_search_returns_the_best_beams(kata, gpt2, tiny_gpt2):
    # A variant answers differently: the beams must come from the model that is passed in.
    model, tokenizer = tiny_gpt2.variant(seed=3).load_model(), gpt2[1]
    prompt = "The teacher wrote"
    texts = call(kata, model, tokenizer, prompt, 3, max_new_tokens=8, num_beams=4, seed=1)
    check_list_of_strings(kata, texts, 3)
    expected = reference(model, tokenizer, prompt, 3, max_new_tokens=8, num_beams=4, do_sample=False)
    sampled = reference(model, tokenizer, prompt, 3, seed=1, max_new_tokens=8, num_beams=4, do_sample=True)
    tip = "with num_beams > 1 run beam search: generate(num_beams=num_beams, num_return_sequences=n)."
    if texts == sampled and sampled != expected:
        tip = "beam search here is deterministic: do not sample (do_sample=False) when num_beams > 1."
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}, the 3 best of 4 beams, best first",
        tip=tip,
    )


def test_seed_zero_is_a_seed(kata, gpt2):
    """0 is a seed like any other ("if seed:" would leave torch unseeded)."""
    model, tokenizer = gpt2
    torch.manual_seed(123)  # a state that seed=0 must replace
    texts = call(kata, model, tokenizer, "Once upon a time", 3, max_new_tokens=8, seed=0)
    expected = reference(model, tokenizer, "Once upon a time", 3, seed=0, max_new_tokens=8, do_sample=True)
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: torch seeded with 0, then the samples",
        tip="test the seed with 'if seed is not None:': 0 is a valid seed.",
    )


def test_beam_search_on_a_model_whose_generation_config_samples(kata, tiny_llama_sampling):
    """Beam search is deterministic: with a generation_config that samples by default, sampling
    must be turned off, or the beams are sampled. (A Llama-style model, cased BPE, ends with </s>.)"""
    model, tokenizer = tiny_llama_sampling.load_model(), tiny_llama_sampling.load_tokenizer()
    prompt = "The hotel room was clean"
    texts = call(kata, model, tokenizer, prompt, 2, max_new_tokens=8, num_beams=3, seed=2)
    check_list_of_strings(kata, texts, 2)
    expected = reference(model, tokenizer, prompt, 2, max_new_tokens=8, num_beams=3, do_sample=False)
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}, the 2 best of 3 beams, best first",
        tip="pass do_sample=False with num_beams > 1: this model's generation_config samples by default.",
    )


def test_the_defaults_are_3_samples_of_20_tokens_and_no_seed_leaves_torch_alone(kata, gpt2):
    model, tokenizer = gpt2
    prompt = "The robot read"
    texts = call(kata, model, tokenizer, prompt, seed=4)
    expected = reference(model, tokenizer, prompt, 3, seed=4, max_new_tokens=20, do_sample=True)
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: the defaults, 3 samples of up to 20 new tokens (torch seeded with 4)",
        tip="keep the signature's defaults (num_return_sequences=3, max_new_tokens=20) and pass them on.",
    )
    torch.manual_seed(77)  # the caller's random state, which seed=None must use as it is
    texts = call(kata, model, tokenizer, prompt, 2, max_new_tokens=6)
    expected = reference(model, tokenizer, prompt, 2, seed=77, max_new_tokens=6, do_sample=True)
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: with seed=None, samples from torch's random state as the caller left it",
        tip="seed only when a seed is given: 'if seed is not None: set_seed(seed)'.",
    )


def test_as_many_sequences_as_beams_and_specials_left_out(kata, tiny_llama):
    """A Llama-style model whose beams end early with </s>: the rows that end early are padded, and
    neither </s> nor <pad> may reach the texts. Asking for as many sequences as beams is allowed."""
    from pytest_tfkatas.zoo import LLAMA_EOS_PROMPTS

    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    prompt = LLAMA_EOS_PROMPTS[0]
    texts = call(kata, model, tokenizer, prompt, 3, max_new_tokens=12, num_beams=3)
    check_list_of_strings(kata, texts, 3)
    expected = reference(model, tokenizer, prompt, 3, max_new_tokens=12, num_beams=3, do_sample=False)
    tip = None
    if any("</s>" in text or "<pad>" in text for text in texts):
        tip = "decode with skip_special_tokens=True: beams that end early carry </s> and padding."
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: all 3 beams of a beam search of width 3, best first, without special tokens",
        tip=tip,
    )


def test_repeated_samples_are_all_kept_in_order(kata, tiny_llama):
    """One new token per sample from a Llama-style model: several samples draw the same token, and
    each one is still a sequence of its own, in generate()'s order."""
    model, tokenizer = tiny_llama.load_model(), tiny_llama.load_tokenizer()
    prompt = "The robot read"
    texts = call(kata, model, tokenizer, prompt, 6, max_new_tokens=1, seed=1)
    expected = reference(model, tokenizer, prompt, 6, seed=1, max_new_tokens=1, do_sample=True)
    assert len(set(expected)) < len(expected), "the check needs samples that repeat"
    tip = None
    if isinstance(texts, list) and len(texts) < 6:
        tip = "keep every sample, repeats included: the caller asked for num_return_sequences of them."
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: 6 samples of one new token (torch seeded with 1), repeats kept, in order",
        tip=tip,
    )


@pytest.mark.parametrize(
    ("prompt", "n", "settings"),
    [
        ("Once upon a time", 1, {"seed": 8}),
        ("The teacher wrote", 1, {"num_beams": 2}),
        ("\n", 2, {"seed": 3}),
        (" ", 1, {"num_beams": 2}),
    ],
    ids=["one sample", "one beam of two", "a newline prompt", "a space prompt"],
)
def test_the_smallest_valid_requests_are_answered(kata, gpt2, prompt, n, settings):
    """1 is a valid count of sequences and of new tokens, and a prompt of whitespace is not empty."""
    model, tokenizer = gpt2
    try:
        texts = call(kata, model, tokenizer, prompt, n, max_new_tokens=1, **settings)
    except ValueError as error:
        fail_call(
            kata,
            got=f"ValueError: {error}",
            expected=f"{n} sequence(s) of one new token: 1 is a valid count, and whitespace a valid prompt",
            tip="raise only for an empty prompt ('') and for counts below 1.",
        )
    check_list_of_strings(kata, texts, n)
    num_beams = settings.get("num_beams", 1)
    strategy = {"num_beams": num_beams, "do_sample": False} if num_beams > 1 else {"do_sample": True}
    expected = reference(model, tokenizer, prompt, n, seed=settings.get("seed"), max_new_tokens=1, **strategy)
    expect(
        texts == expected,
        kata,
        got=repr(texts),
        expected=f"{expected!r}: {n} sequence(s) of one new token",
    )


@pytest.mark.parametrize(
    ("prompt", "settings", "because"),
    [
        ("", {"num_return_sequences": 2}, "an empty prompt gives the model nothing to continue"),
        ("Once upon a time", {"num_return_sequences": 0}, "num_return_sequences must be at least 1"),
        ("Once upon a time", {"max_new_tokens": 0}, "max_new_tokens must be at least 1"),
        ("Once upon a time", {"num_beams": 0}, "num_beams must be at least 1"),
        (
            "Once upon a time",
            {"num_return_sequences": 5, "num_beams": 3},
            "beam search with 3 beams cannot return 5 sequences",
        ),
    ],
    ids=["empty prompt", "no sequences", "no new tokens", "no beams", "more sequences than beams"],
)
def test_bad_arguments_raise_value_error(kata, gpt2, prompt, settings, because):
    model, tokenizer = gpt2
    expect_raises(kata, ValueError, model, tokenizer, prompt, because=because, **settings)
