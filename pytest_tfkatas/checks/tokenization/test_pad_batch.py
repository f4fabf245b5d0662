"""Hidden checks: pad_batch."""

from __future__ import annotations

import copy
from collections.abc import Mapping

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = (
    "Hi!",
    "The cat sat on the mat by the door.",
    "A much longer text than the others, with many more words in it, for the padding to show.",
)


def expected_batch(tokenizer, texts, max_length=None, pad_to_multiple_of=None) -> dict[str, torch.Tensor]:
    """Cut, then pad: the tokenizer's own padding, on a copy given eos as pad token if it has none."""
    if tokenizer.pad_token is None:
        tokenizer = copy.deepcopy(tokenizer)
        tokenizer.pad_token = tokenizer.eos_token
    encoded = tokenizer(list(texts), truncation=max_length is not None, max_length=max_length)
    return dict(
        tokenizer.pad(encoded, padding=True, pad_to_multiple_of=pad_to_multiple_of, return_tensors="pt")
    )


def _state(tokenizer) -> tuple:
    return (
        tokenizer.pad_token,
        tokenizer.padding_side,
        tokenizer.truncation_side,
        tokenizer.model_max_length,
    )


def check(kata, tokenizer, texts, what: str, **settings) -> None:
    __tracebackhide__ = True
    before = _state(tokenizer)
    given = copy.deepcopy(texts)
    result = kata(tokenizer, texts, **settings)
    expected = expected_batch(tokenizer, texts, **settings)
    expect(
        isinstance(result, dict) and set(result) >= set(expected),
        kata,
        got=describe(result),
        expected=f"a dict with {sorted(expected)}",
        tip="return dict(batch): the tokenizer's BatchEncoding is not a dict."
        if isinstance(result, Mapping) and set(result) >= set(expected)
        else "return the tokenizer's output (return_tensors='pt'): input_ids and attention_mask at least.",
    )
    for key, wanted in expected.items():
        got = result[key]
        ok = isinstance(got, torch.Tensor) and got.dtype == torch.int64 and torch.equal(got, wanted)
        tip = None
        if isinstance(got, torch.Tensor) and got.dim() == 2 and got.shape[1] > wanted.shape[1]:
            tip = (
                "padding=True pads to the batch's longest text; padding='max_length' pads every batch "
                "to max_length."
            )
        elif isinstance(got, torch.Tensor) and got.shape == wanted.shape and not torch.equal(got, wanted):
            tip = (
                "let the tokenizer pad, on its own padding_side, with its pad token (or eos when it has none)"
            )
        expect(
            ok,
            kata,
            got=f"{key} {describe(got)}" + (f": {got.tolist()}" if isinstance(got, torch.Tensor) else ""),
            expected=f"{key} of shape {tuple(wanted.shape)}, int64: {wanted.tolist()} ({what})",
            tip=tip,
        )
    expect(
        _state(tokenizer) == before and texts == given,
        kata,
        got=f"the tokenizer's (pad_token, padding_side, truncation_side, max length) now {_state(tokenizer)}",
        expected=f"{before}: the caller's tokenizer as it was, and the texts too",
        tip="pad with eos on a copy of the tokenizer (copy.deepcopy), not on the caller's.",
    )


@pytest.mark.parametrize("name", ["bert", "bert-cased", "llama"])
def test_the_batch_is_padded_to_its_longest_text_with_a_mask(kata, name):
    check(kata, zoo.get(name).load_tokenizer(), TEXTS, "padded to the longest text")


def test_a_tokenizer_without_pad_token_pads_with_eos_and_stays_as_it_was(kata, tiny_gpt2):
    check(kata, tiny_gpt2.load_tokenizer(), list(TEXTS), "GPT-2 padded with its end-of-text token")


@pytest.mark.parametrize("name", ["gpt2", "llama"])
def test_a_left_padding_tokenizer_gets_its_padding_on_the_left(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    tokenizer.padding_side = "left"
    check(kata, tokenizer, TEXTS, "padded on the left, as this tokenizer pads")


def test_max_length_cuts_long_texts_and_the_batch_still_pads_to_its_longest(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    check(kata, tokenizer, TEXTS, "cut to 9 tokens", max_length=9)
    # Every text shorter than max_length: padding stops at the longest, not at max_length.
    check(
        kata, tokenizer, TEXTS[:2], "no text reaches 64 tokens, so none is cut or padded to 64", max_length=64
    )
    exact = len(tokenizer(TEXTS[1])["input_ids"])
    check(kata, tokenizer, TEXTS[:2], f"the longest text is exactly max_length={exact}", max_length=exact)


def test_without_max_length_a_text_longer_than_the_model_reads_is_kept_whole(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    long_text = " ".join(zoo.corpus()[:30])
    assert len(tokenizer(long_text)["input_ids"]) > tokenizer.model_max_length
    check(
        kata,
        tokenizer,
        ["Hi!", long_text],
        f"max_length=None: no text cut, not even to the tokenizer's {tokenizer.model_max_length}",
    )


@pytest.mark.parametrize("multiple", [8, 1, 5])
def test_the_padded_length_rounds_up_to_a_multiple(kata, tiny_llama, multiple):
    tokenizer = tiny_llama.load_tokenizer()
    for texts in (TEXTS, TEXTS[:2], ("one two three four five six",)):
        check(kata, tokenizer, texts, f"rounded up to a multiple of {multiple}", pad_to_multiple_of=multiple)
    check(kata, tokenizer, TEXTS, "cut to 8, a multiple of 4", max_length=8, pad_to_multiple_of=4)
    check(kata, tokenizer, TEXTS, "cut to 7, then padded up to 8", max_length=7, pad_to_multiple_of=8)


@pytest.mark.parametrize(
    ("texts", "settings", "because"),
    [
        ([], {}, "there is no text to pad"),
        ((), {}, "an empty tuple holds no text"),
        (TEXTS, {"max_length": 0}, "no text fits in 0 tokens"),
        (TEXTS, {"max_length": -3}, "no text fits in -3 tokens"),
        (TEXTS, {"pad_to_multiple_of": 0}, "a multiple of 0 is no length"),
        (TEXTS, {"pad_to_multiple_of": -8}, "a multiple of -8 is no length"),
    ],
    ids=[
        "no texts",
        "empty tuple",
        "max_length 0",
        "negative max_length",
        "multiple of 0",
        "negative multiple",
    ],
)
def test_bad_arguments_raise_value_error(kata, tiny_bert, texts, settings, because):
    expect_raises(kata, ValueError, tiny_bert.load_tokenizer(), texts, because=because, **settings)
