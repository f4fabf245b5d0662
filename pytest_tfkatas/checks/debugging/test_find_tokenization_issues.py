"""Hidden checks: find_tokenization_issues."""

from __future__ import annotations

import copy

import pytest

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = (
    "Hello, World!",
    "naïve café ☃",
    "two  spaces",
    "plain words only",
    "naïve café ☃",
    "the ☃ again, and naïve.",
    " padded text ",  # WordPiece drops the outer spaces
    "first\t☃ line\nnew",  # words split on any whitespace
    "a [SEP] inside",  # special tokens in the text come back as they were (WordPiece)
    "an </s> inside",  # (llama)
)


def expected_of(tokenizer, texts) -> dict[str, list[str]]:
    unknown, broken = [], []
    for text in texts:
        for word in text.split():
            ids = tokenizer(word, add_special_tokens=False)["input_ids"]
            if tokenizer.unk_token_id is not None and tokenizer.unk_token_id in ids and word not in unknown:
                unknown.append(word)
        if (
            tokenizer.decode(tokenizer(text, add_special_tokens=False)["input_ids"]) != text
            and text not in broken
        ):
            broken.append(text)
    return {"unknown_words": unknown, "not_round_trip": broken}


@pytest.mark.parametrize("name", ["bert", "bert-cased", "gpt2", "llama"])
def test_unknown_words_and_texts_that_do_not_round_trip(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    texts = list(TEXTS)
    result = kata(tokenizer, texts)
    expected = expected_of(tokenizer, TEXTS)
    expect(
        isinstance(result, dict) and set(result) == {"unknown_words", "not_round_trip"},
        kata,
        got=describe(result),
        expected="a dict with 'unknown_words' and 'not_round_trip'",
    )
    for key, wanted in expected.items():
        got = result[key]
        tip = None
        if isinstance(got, list) and sorted(set(got)) == sorted(wanted) and got != wanted:
            tip = "each item once, in the order it first appears (dict.fromkeys keeps that order)."
        elif key == "unknown_words":
            tip = (
                f"compare each word's ids with tokenizer.unk_token_id ({tokenizer.unk_token_id} here); "
                "split the text with text.split() and keep the word as it is."
            )
        else:
            tip = (
                "encode with add_special_tokens=False, decode the ids (tokenizer.decode(ids), nothing "
                "skipped), and compare with the text exactly (no strip())."
            )
        expect(
            isinstance(got, list) and got == wanted,
            kata,
            got=f"{key} {describe(got) if not isinstance(got, list) else got!r}",
            expected=f"{wanted!r} ({zoo.get(name).description})",
            tip=tip,
        )
    expect(
        texts == list(TEXTS), kata, got=f"texts changed to {texts!r}", expected="the texts left as they were"
    )


def test_a_tuple_and_nothing_to_report(kata, tiny_gpt2):
    """GPT-2's byte-level tokenizer represents every text exactly; its unknown token (which is its
    end-of-text token) is never produced by text."""
    texts = ("Hello, World!", "naïve café ☃", "  spaced  ")
    result = kata(tiny_gpt2.load_tokenizer(), texts)
    expect(
        result == {"unknown_words": [], "not_round_trip": []},
        kata,
        got=describe(result),
        expected="{'unknown_words': [], 'not_round_trip': []}: nothing lost",
    )
    empty = kata(tiny_gpt2.load_tokenizer(), [])
    expect(
        empty == {"unknown_words": [], "not_round_trip": []},
        kata,
        got=describe(empty),
        expected="two empty lists for no texts",
    )


@pytest.mark.parametrize("bad", [["fine", None], ["fine", b"bytes"], [3]], ids=["None", "bytes", "an int"])
def test_an_item_that_is_not_a_str_raises_type_error(kata, tiny_bert, bad):
    expect_raises(
        kata, TypeError, tiny_bert.load_tokenizer(), copy.copy(bad), because="every text must be a str"
    )
