"""Hidden checks: build_dataloader."""

from __future__ import annotations

import copy
from collections.abc import Mapping

import pytest
import torch
from datasets import Dataset
from torch.utils.data import DataLoader

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: Lengths that differ a lot, and one text longer than the model's 128 positions.
TEXTS = [*zoo.corpus()[:6], "Hi!", " ".join(zoo.corpus()[:30]), "Rain."]


def dataset_of(texts, labels=True, text_column="text") -> Dataset:
    columns = {
        "id": [f"row{i}" for i in range(len(texts))],
        text_column: list(texts),
        "votes": list(range(len(texts))),  # a number, but not a model's input either
    }
    if labels:
        columns["label"] = [i % 3 for i in range(len(texts))]
    return Dataset.from_dict(columns)


def expected_batches(tokenizer, texts, labels, batch_size, order) -> list[dict[str, torch.Tensor]]:
    if tokenizer.pad_token is None:
        tokenizer = copy.deepcopy(tokenizer)
        tokenizer.pad_token = tokenizer.eos_token
    batches = []
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        batch = dict(tokenizer([texts[i] for i in rows], padding=True, truncation=True, return_tensors="pt"))
        if labels:
            batch["labels"] = torch.tensor([i % 3 for i in rows])
        batches.append(batch)
    return batches


def check(kata, tokenizer, dataset, texts, labels, size, what, **settings) -> None:
    __tracebackhide__ = True
    before = (dataset.column_names, dataset.format["type"], dataset.num_rows)
    loader = kata(dataset, tokenizer, **settings)
    expect(isinstance(loader, DataLoader), kata, got=describe(loader), expected="a torch DataLoader")
    try:
        got = list(loader)
    except Exception as error:  # the learner's collate or columns fail when the batches are made
        fail_call(
            kata,
            got=f"iterating the DataLoader raised {type(error).__name__}: {str(error)[:300]}",
            expected="batches of int64 tensors",
            tip="keep only the tokenizer's columns and label (remove_columns in map); pad in the collator.",
        )
    expected = expected_batches(tokenizer, texts, labels, size, list(range(len(texts))))
    expect(
        len(got) == len(expected),
        kata,
        got=f"{len(got)} batches",
        expected=f"{len(expected)} batches of up to {size} rows",
    )
    for number, (batch, wanted) in enumerate(zip(got, expected, strict=True)):
        keys_ok = isinstance(batch, Mapping) and set(batch) == set(wanted)
        expect(
            keys_ok,
            kata,
            got=f"batch {number}: {sorted(batch) if isinstance(batch, Mapping) else describe(batch)}",
            expected=f"keys {sorted(wanted)}: the tokenizer's columns"
            + (" and labels (the collator renames label)" if labels else ""),
            tip="remove every other column in map (remove_columns): a model reads none of them, and ids "
            "and texts cannot become tensors.",
        )
        for key, tensor in wanted.items():
            value = batch[key]
            same = (
                isinstance(value, torch.Tensor) and value.dtype == torch.int64 and torch.equal(value, tensor)
            )
            tip = None
            if isinstance(value, torch.Tensor) and value.dim() == 2 and value.shape[1] > tensor.shape[1]:
                tip = "pad each batch to its own longest row: no padding in map, a DataCollatorWithPadding."
            expect(
                same,
                kata,
                got=f"batch {number} {key} {describe(value)}",
                expected=f"{key} of shape {tuple(tensor.shape)}, int64, as the tokenizer pads rows "
                f"{number * size}.. of the dataset ({what})",
                tip=tip,
            )
    expect(
        (dataset.column_names, dataset.format["type"], dataset.num_rows) == before,
        kata,
        got=f"the caller's dataset now {dataset.column_names}, format {dataset.format['type']}",
        expected="the caller's dataset as it was (map returns a new one)",
    )


@pytest.mark.parametrize("name", ["bert", "bert-cased"])
def test_batches_padded_each_to_its_longest_row_with_labels(kata, name):
    tokenizer = zoo.get(name).load_tokenizer()
    check(kata, tokenizer, dataset_of(TEXTS), TEXTS, True, 8, "the defaults: 8 rows, in order")


def test_gpt2_pads_with_eos_on_a_copy_and_a_text_column_of_another_name(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    dataset = dataset_of(TEXTS, labels=False, text_column="review")
    check(kata, tokenizer, dataset, TEXTS, False, 4, "4 rows, no labels", text_column="review", batch_size=4)
    expect(
        tokenizer.pad_token is None,
        kata,
        got=f"the caller's tokenizer now has pad_token={tokenizer.pad_token!r}",
        expected="the caller's tokenizer without a pad token, as it was: pad with eos on a copy",
    )


def test_batches_of_one_and_shuffled_rows(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    check(kata, tokenizer, dataset_of(TEXTS[:3]), TEXTS[:3], True, 1, "one row a batch", batch_size=1)
    dataset = dataset_of(TEXTS)
    orders = []
    for seed in (3, 3, 4):
        torch.manual_seed(seed)
        loader = kata(dataset, tokenizer, batch_size=1, shuffle=True)
        orders.append(
            [int(batch["labels"][0]) * 100 + int(batch["attention_mask"].sum()) for batch in loader]
        )
    unshuffled = [
        int(b["labels"][0]) * 100 + int(b["attention_mask"].sum())
        for b in kata(dataset, tokenizer, batch_size=1)
    ]
    expect(
        orders[0] == orders[1] != orders[2]
        and sorted(orders[0]) == sorted(unshuffled)
        and orders[0] != unshuffled,
        kata,
        got=f"rows (label*100 + length) {orders[0]} and {orders[1]} shuffled after torch.manual_seed(3), "
        f"{orders[2]} after torch.manual_seed(4), {unshuffled} not shuffled",
        expected="every row once, in an order torch's seed decides (the same for the same seed, another "
        "for another seed); without shuffle, the dataset's order",
        tip="DataLoader(..., shuffle=shuffle), without a generator of its own.",
    )


@pytest.mark.parametrize(
    ("settings", "because"),
    [
        ({"text_column": "sentence"}, "the dataset has no 'sentence' column"),
        ({"batch_size": 0}, "a batch needs at least 1 row"),
        ({"batch_size": -2}, "a batch needs at least 1 row"),
    ],
    ids=["no such column", "zero batch", "negative batch"],
)
def test_bad_arguments_raise_value_error(kata, tiny_bert, settings, because):
    expect_raises(
        kata, ValueError, dataset_of(TEXTS), tiny_bert.load_tokenizer(), because=because, **settings
    )
