"""Hidden checks: preprocess_dataset."""

from __future__ import annotations

import pytest
from datasets import Dataset

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.tokenization.helpers import counting_calls
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = [
    "The cat is on the mat.",
    "A transformer is a neural network that uses attention to mix information between tokens.",
    "Hi!",
    "Le petit chat dort sur le canapé près de la fenêtre.",
    "Rain fell softly on the roof while we played chess by the fire.",
]


def dataset_of(texts: list[str], text_column: str = "text") -> Dataset:
    return Dataset.from_dict(
        {
            "id": [f"row{i}" for i in range(len(texts))],
            text_column: texts,
            "label": [i % 2 for i in range(len(texts))],
        }
    )


def as_dataset(kata, result) -> Dataset:
    expect(isinstance(result, Dataset), kata, got=describe(result), expected="a datasets.Dataset")
    return result


#: Cased, an empty row, a duplicated row, and one longer than any max_length below.
AWKWARD = ["Alice met BOB in Paris.", "", "Alice met BOB in Paris.", " ".join(["Rain fell softly."] * 12)]


@pytest.mark.parametrize(
    ("model", "text_column", "max_length", "texts"),
    [
        ("bert", "text", 12, TEXTS),
        ("gpt2", "review", 7, TEXTS),
        ("bert-cased", "text", 9, AWKWARD),
        ("llama", "body", 10, AWKWARD),
        ("gpt2", "text", 1, TEXTS),
        ("bert", None, None, [*TEXTS, " ".join(TEXTS * 4)]),
    ],
    ids=["bert", "gpt2", "cased, empty and duplicated rows", "llama", "max_length 1", "the defaults"],
)
def test_each_row_holds_its_tokens_truncated_and_not_padded(kata, model, text_column, max_length, texts):
    """With text_column and max_length None, the kata is called with its defaults ("text", 128);
    the last text is then longer than 128 tokens."""
    tokenizer = zoo.get(model).load_tokenizer()
    if text_column is None:
        text_column, max_length = "text", 128
        assert len(tokenizer(texts[-1])["input_ids"]) > 128, "the check's long text must pass the default"
        result = as_dataset(kata, kata(dataset_of(texts, text_column), tokenizer))
    else:
        result = as_dataset(kata, kata(dataset_of(texts, text_column), tokenizer, text_column, max_length))
    expected = tokenizer(texts, truncation=True, max_length=max_length)
    got = [list(ids) for ids in result["input_ids"]] if "input_ids" in result.column_names else None
    wanted = [list(ids) for ids in expected["input_ids"]]
    if got is not None and len({len(ids) for ids in got}) == 1 and len({len(ids) for ids in wanted}) > 1:
        tip = (
            "do not pad while preprocessing (no padding='max_length'): every row keeps its own length, "
            "and a DataCollatorWithPadding pads each batch to its own longest row later."
        )
    elif got is not None and any(len(ids) > max_length for ids in got):
        tip = "pass truncation=True, max_length=max_length to the tokenizer."
    else:
        tip = f"call the tokenizer on the {text_column!r} column with truncation=True, max_length=max_length."
    if got is None:
        shown_got, shown_expected = f"columns {result.column_names}", "an 'input_ids' column"
    elif [len(ids) for ids in got] != [len(ids) for ids in wanted]:
        shown_got = f"rows of {[len(ids) for ids in got]} tokens"
        shown_expected = f"rows of {[len(ids) for ids in wanted]} tokens"
    else:
        row = next((i for i, (g, w) in enumerate(zip(got, wanted, strict=True)) if g != w), 0)
        shown_got, shown_expected = f"row {row}: input_ids {got[row]}", f"{wanted[row]}"
    expect(got == wanted, kata, got=shown_got, expected=shown_expected, tip=tip)
    masks = (
        [list(mask) for mask in result["attention_mask"]] if "attention_mask" in result.column_names else None
    )
    expect(
        masks == [list(mask) for mask in expected["attention_mask"]],
        kata,
        got=f"attention_mask {masks}",
        expected="the tokenizer's attention_mask for each row (all ones: nothing is padded)",
    )


def test_the_text_column_goes_and_every_other_column_stays(kata, tiny_bert):
    dataset = dataset_of(TEXTS)
    result = as_dataset(kata, kata(dataset, tiny_bert.load_tokenizer(), "text", 16))
    columns = result.column_names
    expect(
        "text" not in columns,
        kata,
        got=f"columns {columns}",
        expected="no 'text' column: the raw strings cannot become tensors",
        tip="dataset.map(..., batched=True, remove_columns=[text_column]).",
    )
    kept = {name: list(result[name]) for name in ("id", "label") if name in columns}
    expect(
        kept == {"id": list(dataset["id"]), "label": list(dataset["label"])},
        kata,
        got=f"columns {columns}" + (f" with {kept}" if kept else ""),
        expected=f"the 'id' and 'label' columns unchanged: {list(dataset['id'])}, {list(dataset['label'])}",
        tip="remove only the text column (remove_columns=[text_column], not dataset.column_names).",
    )
    expected_columns = {"id", "label", *tiny_bert.load_tokenizer()("x").keys()}
    expect(
        set(columns) == expected_columns,
        kata,
        got=f"columns {sorted(columns)}",
        expected=f"columns {sorted(expected_columns)}: the tokenizer's outputs and the other columns",
    )


def test_the_tokenizer_gets_batches_of_texts(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    calls = counting_calls(tokenizer)
    texts = zoo.corpus()[:40]
    result = as_dataset(kata, kata(dataset_of(texts), tokenizer, "text", 32))
    expect(
        len(result) == len(texts),
        kata,
        got=f"a dataset of {len(result)} rows",
        expected=f"{len(texts)} rows, one per text",
    )
    singles = sum(isinstance(text, str) for text in calls)
    expect(
        calls and singles == 0,
        kata,
        got=f"{len(calls)} tokenizer calls, {singles} of them with a single string",
        expected="calls with lists of texts: the tokenizer encodes a whole batch at once",
        tip="dataset.map(tokenize, batched=True): tokenize then receives a dict of lists (a batch of rows).",
    )


def test_a_missing_column_or_a_bad_max_length_raises_value_error(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    expect_raises(
        kata,
        ValueError,
        dataset_of(TEXTS, "review"),
        tokenizer,
        "text",
        because="the dataset has no 'text' column (its text is in 'review')",
        match="text",
    )
    expect_raises(
        kata,
        ValueError,
        dataset_of(TEXTS),
        tokenizer,
        "text",
        0,
        because="max_length=0 leaves no room for any token",
    )
