"""Hidden checks: tokens_and_ids."""

from __future__ import annotations

import pytest

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = ["Hello, World!", "  two  spaces and Caps ", "naïve café ☃", ""]


def expected_of(tokenizer, text: str, special: bool) -> tuple[list[str], list[int], str]:
    ids = tokenizer(text, add_special_tokens=special)["input_ids"]
    return tokenizer.convert_ids_to_tokens(ids), list(ids), tokenizer.decode(ids, skip_special_tokens=True)


def check(kata, tokenizer, text: str, special: bool | None) -> None:
    __tracebackhide__ = True
    result = kata(tokenizer, text) if special is None else kata(tokenizer, text, add_special_tokens=special)
    special = True if special is None else special
    tokens, ids, decoded = expected_of(tokenizer, text, special)
    expect(
        isinstance(result, tuple) and len(result) == 3,
        kata,
        got=describe(result),
        expected="a tuple (tokens, ids, decoded)",
    )
    got_tokens, got_ids, got_decoded = result
    expect(
        isinstance(got_ids, list) and all(type(i) is int for i in got_ids),
        kata,
        got=f"ids {describe(got_ids)}",
        expected="the ids as a list of Python ints (no tensor: return_tensors is not needed for one text)",
    )
    where = "with its special tokens" if special else "without special tokens"
    tip = None
    if got_ids != ids and special and got_ids == tokenizer(text, add_special_tokens=False)["input_ids"]:
        tip = "call the tokenizer itself, tokenizer(text)['input_ids']: it adds the special tokens."
    expect(
        got_ids == ids,
        kata,
        got=f"ids {got_ids}",
        expected=f"{ids}: the ids of {text!r} {where}",
        tip=tip or "pass add_special_tokens on to the tokenizer; use the text as it is.",
    )
    expect(
        got_tokens == tokens,
        kata,
        got=f"tokens {got_tokens!r}",
        expected=f"{tokens!r}: one token per id, special tokens included",
        tip="tokenizer.convert_ids_to_tokens(ids) names each id; tokenizer.tokenize(text) never adds "
        "special tokens, so it does not match the ids.",
    )
    tip = None
    if isinstance(got_decoded, str) and got_decoded == tokenizer.decode(ids):
        tip = "decode with skip_special_tokens=True."
    expect(
        got_decoded == decoded,
        kata,
        got=f"decoded {got_decoded!r}",
        expected=f"{decoded!r}: the ids decoded without special tokens",
        tip=tip,
    )


@pytest.mark.parametrize("name", ["gpt2", "bert", "bert-cased", "llama"])
def test_tokens_ids_and_text_with_the_special_tokens(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    for text in TEXTS:
        check(kata, tokenizer, text, True)


@pytest.mark.parametrize("name", ["bert", "llama"])
def test_without_special_tokens_and_with_them_by_default(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    for text in TEXTS[:3]:
        check(kata, tokenizer, text, False)
        check(kata, tokenizer, text, None)


@pytest.mark.parametrize(
    "bad",
    [["Hello", "World"], ("Hello", "World"), b"Hello", None],
    ids=["a list", "a tuple", "bytes", "None"],
)
def test_what_is_not_one_text_raises_type_error(kata, tiny_bert, bad):
    expect_raises(
        kata, TypeError, tiny_bert.load_tokenizer(), bad, because="the function takes one text, a str"
    )
