"""Hidden checks: tokenize_dataframe_column."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from transformers import BatchEncoding

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call


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


def first_difference(got, expected, tokenizer) -> str:
    """What came back, with the first row whose text differs once decoded, if one does."""
    found = str(shapes(got))
    ids = got.get("input_ids") if isinstance(got, (BatchEncoding, dict)) else None
    if not isinstance(ids, torch.Tensor) or ids.dim() != 2:
        return found
    rows = ids.tolist()
    for row, theirs in enumerate(expected["input_ids"].tolist()):
        if row >= len(rows):
            return f"{found}: {len(rows)} rows"
        mine, want = (tokenizer.decode(each, skip_special_tokens=True) for each in (rows[row], theirs))
        if mine != want:
            return f"{found}, whose row {row} decodes to {mine!r}, where {want!r} was expected"
    return found


def tokenized(kata, df, *args, **kwargs):
    """Call ``kata`` on ``df`` and check that it left the caller's DataFrame as it was."""
    __tracebackhide__ = True
    import pandas

    before = df.copy(deep=True)
    result = kata(df, *args, **kwargs)
    try:
        pandas.testing.assert_frame_equal(df, before, check_exact=True)
        difference = None
    except AssertionError as error:
        difference = str(error).strip().splitlines()[0]
    expect(
        difference is None,
        kata,
        got=f"the DataFrame changed ({difference}): now {describe(df)}, index {df.index.tolist()[:6]}",
        expected=f"the DataFrame left as it was: {describe(before)}, index {before.index.tolist()[:6]}",
        tip="read the column (df[column].tolist()); no inplace=True, no assignment into df.",
    )
    return result


def expect_same(kata, got, expected, tokenizer, *, what: str, tip: str | None = None) -> None:
    __tracebackhide__ = True
    expect(
        same_encoding(got, expected),
        kata,
        got=first_difference(got, expected, tokenizer),
        expected=what,
        tip=tip,
    )


def test_the_column_is_tokenized_like_the_list_of_its_texts(kata, tiny_bert, pd):
    tokenizer = tiny_bert.load_tokenizer()
    texts = zoo.corpus()[20:25]
    df = pd.DataFrame({"text": texts, "stars": [5, 5, 5, 4, 5]})
    got = tokenized(kata, df, tokenizer)
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
    got = tokenized(kata, positive, tokenizer, "review")
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
    got = tokenized(kata, df, tokenizer, max_length=8)
    expected = tokenizer(texts, padding=True, truncation=True, max_length=8, return_tensors="pt")
    expect(
        same_encoding(got, expected),
        kata,
        got=str(shapes(got)),
        expected=f"{shapes(expected)}: every text cut to 8 tokens",
        tip="pass truncation=True, max_length=max_length when max_length is given.",
    )


def test_short_texts_are_padded_to_the_longest_not_to_max_length(kata, tiny_bert, pd):
    tokenizer = tiny_bert.load_tokenizer()
    texts = ["Great food.", "The soup was cold.", "Slow."]
    df = pd.DataFrame({"text": texts})
    got = tokenized(kata, df, tokenizer, max_length=64)
    expected = tokenizer(texts, padding=True, truncation=True, max_length=64, return_tensors="pt")
    expect_same(
        kata,
        got,
        expected,
        tokenizer,
        what=f"{shapes(expected)}: padded to the longest text; max_length only truncates",
        tip="padding=True pads to the longest text of the batch; padding='max_length' pads every row to it.",
    )


def test_without_max_length_long_texts_are_kept_whole(kata, tiny_bert, pd):
    tokenizer = tiny_bert.load_tokenizer()
    corpus = zoo.corpus()
    texts = [" ".join(corpus[:20]), corpus[20]]  # the first is over 300 tokens
    df = pd.DataFrame({"text": texts})
    got = tokenized(kata, df, tokenizer)
    expected = tokenizer(texts, padding=True, return_tensors="pt")
    expect_same(
        kata,
        got,
        expected,
        tokenizer,
        what=(
            f"{shapes(expected)}: every text whole, longer than the tokenizer's model_max_length "
            f"({tokenizer.model_max_length}), since max_length is None"
        ),
        tip="truncation=True without max_length cuts at model_max_length: truncate only when it is given.",
    )


@pytest.mark.parametrize("model", ["tiny_gpt2", "tiny_bert_cased", "tiny_llama"])
def test_texts_are_tokenized_as_they_are(kata, request, pd, model):
    """Case and spaces are part of a text: a cased or byte-level tokenizer sees them."""
    tokenizer = request.getfixturevalue(model).load_tokenizer()
    if tokenizer.pad_token is None:  # GPT-2 has none; the contract's tokenizer has one
        tokenizer.pad_token = tokenizer.eos_token
    texts = ["  The Robot read.", "THE ROBOT READ.", "the robot read. ", "The robot\tread."]
    df = pd.DataFrame({"text": texts}, dtype=object)
    got = tokenized(kata, df, tokenizer)
    expected = tokenizer(texts, padding=True, return_tensors="pt")
    expect_same(
        kata,
        got,
        expected,
        tokenizer,
        what=f"{shapes(expected)}: each text tokenized as it is, case and spaces included",
        tip="pass the texts as they are: the tokenizer does its own normalization (none, for a cased one).",
    )


def test_empty_and_repeated_texts_are_rows_too(kata, tiny_bert, tiny_llama, pd):
    """An empty string is a text (missing values are None, NaN and pd.NA), and each row is tokenized."""
    texts = ["Great food.", "", "Great food.", "   ", "Cold soup.", "Great food."]
    for zoo_model in (tiny_bert, tiny_llama):
        tokenizer = zoo_model.load_tokenizer()
        df = pd.DataFrame({"text": texts, "stars": [5, 3, 5, 3, 1, 4]})
        try:
            got = tokenized(kata, df, tokenizer)
        except ValueError as error:
            fail_call(
                kata,
                got=f"it raised ValueError: {error}",
                expected="one row per DataFrame row: '' and '   ' are texts, not missing values",
                tip="only None, NaN and pd.NA are missing: series.isna() finds them.",
            )
        expected = tokenizer(texts, padding=True, return_tensors="pt")
        expect_same(
            kata,
            got,
            expected,
            tokenizer,
            what=f"{shapes(expected)}: one row per DataFrame row, repeated texts included",
        )


@pytest.mark.parametrize(
    "index",
    [[3, 0, 4, 1, 2], ["z", "b", "m", "a", "q"], [7, 7, 2, 2, 0]],
    ids=["shuffled numbers", "unsorted strings", "repeated labels"],
)
def test_rows_keep_their_order_whatever_the_index_labels(kata, tiny_bert_cased, pd, index):
    tokenizer = tiny_bert_cased.load_tokenizer()
    texts = zoo.corpus()[40:45]
    df = pd.DataFrame({"text": texts}, index=index, dtype="string")
    got = tokenized(kata, df, tokenizer)
    expected = tokenizer(texts, padding=True, return_tensors="pt")
    expect_same(
        kata,
        got,
        expected,
        tokenizer,
        what=f"{shapes(expected)}: the rows in the DataFrame's order, index labels {index}",
        tip="df[column].tolist() follows the row order; sort_index() or lookups by label do not.",
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
