"""Hidden checks: tokenize_dataframe_column."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import BatchEncoding

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises


@pytest.fixture
def pd():
    """pandas, imported once the kata fixture has made sure the extra is installed."""
    import pandas

    return pandas


def same_encoding(got, expected) -> bool:
    return (
        isinstance(got, (BatchEncoding, dict))
        and set(got.keys()) == set(expected.keys())
        and all(isinstance(got[k], torch.Tensor) and torch.equal(got[k], expected[k]) for k in expected)
    )


def shapes(encoding) -> object:
    if not isinstance(encoding, (BatchEncoding, dict)):
        return describe(encoding)
    return {k: describe(v) for k, v in encoding.items()}


def test_the_column_is_tokenized_like_the_list_of_its_texts(kata, tiny_bert, pd):
    tokenizer = tiny_bert.load_tokenizer()
    texts = zoo.corpus()[20:25]
    df = pd.DataFrame({"text": texts, "stars": [5, 5, 5, 4, 5]})
    got = kata(df, tokenizer)
    expected = tokenizer(texts, padding=True, return_tensors="pt")
    expect(
        same_encoding(got, expected),
        kata,
        got=str(shapes(got)),
        expected=f"{shapes(expected)}: tokenizer(df['text'].tolist(), padding=True, return_tensors='pt')",
        tip="a tokenizer takes a list of str: df[column].tolist(); pad to the longest and return tensors.",
    )


def test_a_filtered_frame_keeps_its_row_order_and_the_named_column(kata, tiny_bert, pd):
    tokenizer = tiny_bert.load_tokenizer()
    lines = zoo.corpus()[26:36]
    df = pd.DataFrame({"review": lines, "score": [1, -1, 1, -1, -1, 1, 1, -1, 1, -1]})
    positive = df[df["score"] > 0]  # index labels 0, 2, 5, 6, 8: not 0..4
    got = kata(positive, tokenizer, "review")
    expected = tokenizer(positive["review"].tolist(), padding=True, return_tensors="pt")
    expect(
        same_encoding(got, expected),
        kata,
        got=str(shapes(got)),
        expected=f"{shapes(expected)}: the 5 kept rows of column 'review', in order",
        tip=(
            "a filtered DataFrame keeps its index labels (0, 2, 5, ...): series[i] looks up a label. "
            "Take df[column].tolist(), which follows the row order."
        ),
    )


def test_max_length_truncates(kata, tiny_bert, pd):
    tokenizer = tiny_bert.load_tokenizer()
    texts = zoo.corpus()[:4]
    df = pd.DataFrame({"text": texts}, index=["w", "x", "y", "z"])
    got = kata(df, tokenizer, max_length=8)
    expected = tokenizer(texts, padding=True, truncation=True, max_length=8, return_tensors="pt")
    expect(
        same_encoding(got, expected),
        kata,
        got=str(shapes(got)),
        expected=f"{shapes(expected)}: every text cut to 8 tokens",
        tip="pass truncation=True, max_length=max_length when max_length is given.",
    )


def test_a_missing_column_is_named_in_a_value_error(kata, tiny_bert, pd):
    df = pd.DataFrame({"review": ["Great food.", "Cold soup."]})
    error = expect_raises(
        kata,
        ValueError,
        df,
        tiny_bert.load_tokenizer(),
        "text",
        because="the DataFrame has no column 'text' (only 'review')",
        match="text",
    )
    expect(
        "review" in str(error),
        kata,
        got=f"ValueError: {error}",
        expected="a message that also lists the columns there are ('review')",
        tip="say which columns exist: list(df.columns).",
    )


@pytest.mark.parametrize("missing", ["None", "NaN", "pd.NA"])
def test_missing_values_raise_value_error_naming_the_column(kata, tiny_bert, pd, missing):
    missing = {"None": None, "NaN": np.nan, "pd.NA": pd.NA}[missing]
    df = pd.DataFrame({"comment": ["Great food.", missing, "Cold soup."]}, index=[10, 11, 12], dtype=object)
    error = expect_raises(
        kata,
        ValueError,
        df,
        tiny_bert.load_tokenizer(),
        "comment",
        because=f"row 11 of column 'comment' is {missing!r}: there is no text to tokenize",
        match="comment",
    )
    expect(
        "11" in str(error),
        kata,
        got=f"ValueError: {error}",
        expected="a message that names the row: index label 11",
        tip="series.index[series.isna()].tolist() lists the labels of the missing rows.",
    )


def test_values_that_are_not_text_raise_type_error(kata, tiny_bert, pd):
    df = pd.DataFrame({"comment": ["Great food.", 42, "Cold soup."]})
    expect_raises(
        kata,
        TypeError,
        df,
        tiny_bert.load_tokenizer(),
        "comment",
        because="42 in column 'comment' is not a string",
        match="comment",
    )
