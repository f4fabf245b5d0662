"""Hidden checks: pad_dynamically."""

from __future__ import annotations

import math

import torch
from datasets import Dataset

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: Lines of very different lengths, so that batches differ in their longest row.
TEXTS = [zoo.corpus()[i] for i in (57, 34, 58, 1, 41, 56, 66, 45)] + ["Hi!", "A long one: " + zoo.corpus()[2]]


def tokenized(tokenizer, texts: list[str] = TEXTS) -> Dataset:
    """What preprocessing gives: unpadded ids, plus the text and a label."""
    encoded = tokenizer(texts, truncation=True, max_length=48)
    return Dataset.from_dict({"text": texts, "label": [i % 3 for i in range(len(texts))], **encoded})


def expected_batches(dataset: Dataset, tokenizer, batch_size: int, multiple: int | None = None) -> list[dict]:
    """Dynamic padding written out: each batch padded to its own longest row, by hand."""
    pad_values = {"input_ids": tokenizer.pad_token_id, "attention_mask": 0, "token_type_ids": 0}
    inputs = [name for name in tokenizer.model_input_names if name in dataset.column_names]
    batches = []
    for start in range(0, len(dataset), batch_size):
        rows = [dataset[i] for i in range(start, min(start + batch_size, len(dataset)))]
        length = max(len(row["input_ids"]) for row in rows)
        if multiple:
            length = math.ceil(length / multiple) * multiple
        batch = {}
        for name in inputs:
            padded = []
            for row in rows:
                padding = [pad_values[name]] * (length - len(row[name]))
                padded.append(
                    padding + row[name] if tokenizer.padding_side == "left" else row[name] + padding
                )
            batch[name] = torch.tensor(padded)
        batch["labels"] = torch.tensor([row["label"] for row in rows])
        batches.append(batch)
    return batches


def keys_of(batch) -> list[str] | str:
    return sorted(batch.keys()) if hasattr(batch, "keys") else describe(batch)


def shape_of(batch) -> list[int] | str:
    ids = batch.get("input_ids") if hasattr(batch, "get") else None
    return list(ids.shape) if isinstance(ids, torch.Tensor) else describe(ids)


def check_batches(kata, got, wanted, tip_if_wrong_values: str | None = None) -> None:
    __tracebackhide__ = True
    expect(
        isinstance(got, list) and len(got) == len(wanted),
        kata,
        got=describe(got) if not isinstance(got, list) else f"a list of {len(got)} batches",
        expected=f"a list of {len(wanted)} batches",
    )
    for index, (batch, reference) in enumerate(zip(got, wanted, strict=True)):
        expect(
            keys_of(batch) == keys_of(reference),
            kata,
            got=f"batch {index} with keys {keys_of(batch)}",
            expected=f"keys {keys_of(reference)}: the model inputs and the labels",
        )
    got_shapes, wanted_shapes = [shape_of(b) for b in got], [shape_of(b) for b in wanted]
    tip = None
    widths = {shape[-1] if isinstance(shape, list) and shape else str(shape) for shape in got_shapes}
    if len(widths) == 1 and len({shape[-1] for shape in wanted_shapes}) > 1:
        tip = (
            "pad each batch on its own, to its own longest row: a DataCollatorWithPadding called on a "
            "list of batch_size rows at a time does exactly that."
        )
    expect(
        got_shapes == wanted_shapes,
        kata,
        got=f"batches whose input_ids have the shapes {got_shapes}",
        expected=f"{wanted_shapes}: the rows in order, each batch as long as its own longest row",
        tip=tip,
    )
    for index, (batch, reference) in enumerate(zip(got, wanted, strict=True)):
        for name, tensor in reference.items():
            if torch.equal(batch[name].long(), tensor):
                continue
            rows = batch[name].tolist() if tensor.dim() == 2 else [batch[name].tolist()]
            wanted_rows = tensor.tolist() if tensor.dim() == 2 else [tensor.tolist()]
            row = next(i for i, (g, w) in enumerate(zip(rows, wanted_rows, strict=True)) if g != w)
            fail_call(
                kata,
                got=f"batch {index}, {name}[{row}] = {rows[row]}",
                expected=f"{wanted_rows[row]}: the rows in order, padded on the tokenizer's side",
                tip=tip_if_wrong_values,
            )


def test_each_batch_is_padded_to_its_own_longest_row(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer)
    got = kata(dataset, tokenizer, 3)
    check_batches(kata, got, expected_batches(dataset, tokenizer, 3))


def test_padding_uses_the_pad_id_on_the_tokenizers_side(kata, unigram_tokenizer):
    tokenizer = unigram_tokenizer
    tokenizer.padding_side = "left"
    dataset = tokenized(tokenizer)
    got = kata(dataset, tokenizer, 4)
    check_batches(
        kata,
        got,
        expected_batches(dataset, tokenizer, 4),
        tip_if_wrong_values=(
            f"this tokenizer pads on the left with pad id {tokenizer.pad_token_id}, not 0: let the tokenizer "
            "pad (DataCollatorWithPadding(tokenizer) uses tokenizer.pad)."
        ),
    )


def test_labels_come_out_as_labels_and_other_columns_are_left_out(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    tokenizer.pad_token = tokenizer.eos_token
    dataset = tokenized(tokenizer).add_column("source", ["corpus"] * len(TEXTS))
    got = kata(dataset, tokenizer, 5)
    first = got[0] if isinstance(got, list) and got else got
    keys = sorted(first.keys()) if hasattr(first, "keys") else describe(first)
    expect(
        keys == ["attention_mask", "input_ids", "labels"],
        kata,
        got=f"a first batch with keys {keys}",
        expected="keys ['attention_mask', 'input_ids', 'labels']: the model inputs and the labels, no text",
        tip=(
            "keep tokenizer.model_input_names and the label (dataset.select_columns); "
            "the collator renames label to labels."
        ),
    )
    check_batches(kata, got, expected_batches(dataset, tokenizer, 5))


def test_batches_of_8_by_default_or_of_1(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer)
    check_batches(kata, kata(dataset, tokenizer), expected_batches(dataset, tokenizer, 8))
    check_batches(kata, kata(dataset, tokenizer, 1), expected_batches(dataset, tokenizer, 1))


def test_a_labels_column_is_kept_as_labels(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer).rename_column("label", "labels")
    got = kata(dataset, tokenizer, 4)
    expected = expected_batches(tokenized(tokenizer), tokenizer, 4)
    first = got[0] if isinstance(got, list) and got else got
    expect(
        keys_of(first) == keys_of(expected[0]),
        kata,
        got=f"a first batch with keys {keys_of(first)}",
        expected=f"keys {keys_of(expected[0])}: a column already named labels is the labels too",
        tip='keep the label column whether it is called "label" or "labels".',
    )
    check_batches(kata, got, expected)


def test_pad_to_multiple_of_rounds_the_lengths_up(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer)
    got = kata(dataset, tokenizer, 4, pad_to_multiple_of=8)
    check_batches(kata, got, expected_batches(dataset, tokenizer, 4, multiple=8))


def test_bad_input_raises_value_error(kata, tiny_bert, tiny_gpt2):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer)
    expect_raises(kata, ValueError, dataset, tokenizer, 0, because="batch_size=0 makes no batches")
    expect_raises(
        kata,
        ValueError,
        Dataset.from_dict({"text": TEXTS}),
        tokenizer,
        because="the dataset is not tokenized: it has no input_ids column",
        match="input_ids",
    )
    no_pad = tiny_gpt2.load_tokenizer()
    expect_raises(
        kata,
        ValueError,
        tokenized(no_pad),
        no_pad,
        because="the tokenizer has no pad token to pad with",
        match="pad",
    )
