"""Hidden checks: pad_dynamically."""

from __future__ import annotations

import math

import pytest
import torch
from datasets import Dataset

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: Lines of very different lengths, so that batches differ in their longest row.
TEXTS = [zoo.corpus()[i] for i in (57, 34, 58, 1, 41, 56, 66, 45)] + ["Hi!", "A long one: " + zoo.corpus()[2]]
LABEL_COLUMNS = ("label", "labels")


def tokenized(tokenizer, texts: list[str] = TEXTS) -> Dataset:
    """What preprocessing gives: unpadded ids, plus the text and a label."""
    encoded = tokenizer(texts, truncation=True, max_length=48)
    return Dataset.from_dict({"text": texts, "label": [i % 3 for i in range(len(texts))], **encoded})


def expected_batches(dataset: Dataset, tokenizer, batch_size: int, multiple: int | None = None) -> list[dict]:
    """Dynamic padding written out: each batch padded to its own longest row, by hand."""
    pad_values = {"input_ids": tokenizer.pad_token_id, "attention_mask": 0, "token_type_ids": 0}
    inputs = [name for name in tokenizer.model_input_names if name in dataset.column_names]
    if "attention_mask" in tokenizer.model_input_names and "attention_mask" not in inputs:
        inputs.append("attention_mask")  # made for the padded batch: 1 on every token of a row
    label = next((name for name in LABEL_COLUMNS if name in dataset.column_names), None)
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
                values = row.get(name, [1] * len(row["input_ids"]))
                padding = [pad_values[name]] * (length - len(values))
                padded.append(padding + values if tokenizer.padding_side == "left" else values + padding)
            batch[name] = torch.tensor(padded)
        if label is not None:
            batch["labels"] = torch.tensor([row[label] for row in rows])
        batches.append(batch)
    return batches


def keys_of(batch) -> list[str] | str:
    return sorted(batch.keys()) if hasattr(batch, "keys") else describe(batch)


def shape_of(batch) -> list[int] | str:
    ids = batch.get("input_ids") if hasattr(batch, "get") else None
    return list(ids.shape) if isinstance(ids, torch.Tensor) else describe(ids)


def check_batches(
    kata, got, wanted, tip_if_wrong_values: str | None = None, tip_if_wrong_shapes: str | None = None
) -> None:
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
        for name, tensor in reference.items():
            value = batch[name]
            float_labels = name == "labels" and isinstance(value, torch.Tensor) and value.is_floating_point()
            expect(
                isinstance(value, torch.Tensor) and value.dtype == tensor.dtype,
                kata,
                got=f"batch {index}, {name} = {describe(value)}",
                expected=f"a PyTorch tensor of {str(tensor.dtype).removeprefix('torch.')}, like the column",
                tip=(
                    "torch.Tensor(values) makes float32; torch.tensor(values) keeps the integers, "
                    "the class ids that cross-entropy takes."
                    if float_labels
                    else None
                ),
            )
    got_shapes, wanted_shapes = [shape_of(b) for b in got], [shape_of(b) for b in wanted]
    tip = tip_if_wrong_shapes
    widths = {shape[-1] if isinstance(shape, list) and shape else str(shape) for shape in got_shapes}
    if tip is None and len(widths) == 1 and len({shape[-1] for shape in wanted_shapes}) > 1:
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
            if batch[name].shape == tensor.shape and torch.equal(batch[name], tensor):
                continue
            rows = batch[name].tolist() if tensor.dim() == 2 else [batch[name].tolist()]
            wanted_rows = tensor.tolist() if tensor.dim() == 2 else [tensor.tolist()]
            row = next(
                (i for i, (g, w) in enumerate(zip(rows, wanted_rows, strict=False)) if g != w),
                min(len(rows), len(wanted_rows)) - 1,
            )
            fail_call(
                kata,
                got=f"batch {index}, {name}[{row}] = {rows[row]}",
                expected=f"{wanted_rows[row]}: the rows in order, padded on the tokenizer's side",
                tip=tip_if_wrong_values,
            )


def test_each_batch_is_padded_to_its_own_longest_row(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer)
    expected = expected_batches(dataset, tokenizer, 3)
    check_batches(kata, kata(dataset, tokenizer, 3), expected)


def test_padding_uses_the_pad_id_on_the_tokenizers_side(kata, unigram_tokenizer):
    tokenizer = unigram_tokenizer
    tokenizer.padding_side = "left"
    dataset = tokenized(tokenizer)
    expected = expected_batches(dataset, tokenizer, 4)
    got = kata(dataset, tokenizer, 4)
    check_batches(
        kata,
        got,
        expected,
        tip_if_wrong_values=(
            f"this tokenizer pads on the left with pad id {tokenizer.pad_token_id}, not 0: let the tokenizer "
            "pad (DataCollatorWithPadding(tokenizer) uses tokenizer.pad)."
        ),
    )


def test_labels_come_out_as_labels_and_other_columns_are_left_out(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    tokenizer.pad_token = tokenizer.eos_token
    dataset = (
        tokenized(tokenizer)
        .add_column("source", ["corpus"] * len(TEXTS))
        .add_column("idx", list(range(len(TEXTS))))
        .add_column("score", [0.5 * i for i in range(len(TEXTS))])
    )
    expected = expected_batches(dataset, tokenizer, 5)
    got = kata(dataset, tokenizer, 5)
    first = got[0] if isinstance(got, list) and got else got
    keys = sorted(first.keys()) if hasattr(first, "keys") else describe(first)
    expect(
        keys == ["attention_mask", "input_ids", "labels"],
        kata,
        got=f"a first batch with keys {keys} (the dataset's columns: {dataset.column_names})",
        expected=(
            "keys ['attention_mask', 'input_ids', 'labels']: the model inputs and the labels, "
            "no other column, be it text or numbers"
        ),
        tip=(
            "keep tokenizer.model_input_names and the label (dataset.select_columns); "
            "the collator renames label to labels."
        ),
    )
    check_batches(kata, got, expected)


def test_batches_of_8_by_default_or_of_1(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer)
    in_eights, in_ones = expected_batches(dataset, tokenizer, 8), expected_batches(dataset, tokenizer, 1)
    check_batches(kata, kata(dataset, tokenizer), in_eights)
    check_batches(kata, kata(dataset, tokenizer, 1), in_ones)


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


def test_a_dataset_without_labels_gives_batches_without_labels(kata, tiny_bert_cased):
    tokenizer = tiny_bert_cased.load_tokenizer()
    dataset = tokenized(tokenizer).remove_columns("label")
    expected = expected_batches(dataset, tokenizer, 4)
    check_batches(kata, kata(dataset, tokenizer, 4), expected)


def test_an_attention_mask_is_made_when_the_dataset_has_none(kata, tiny_llama):
    tokenizer = tiny_llama.load_tokenizer()
    tokenizer.padding_side = "left"
    dataset = tokenized(tokenizer).remove_columns("attention_mask")
    expected = expected_batches(dataset, tokenizer, 3)
    got = kata(dataset, tokenizer, 3)
    first = got[0] if isinstance(got, list) and got else got
    expect(
        hasattr(first, "keys") and "attention_mask" in first,
        kata,
        got=f"a first batch with keys {keys_of(first)} (the dataset's columns: {dataset.column_names})",
        expected="an attention_mask too, 1 on the tokens and 0 on the padding: the model needs it",
        tip="tokenizer.pad (which DataCollatorWithPadding calls) makes one when the rows have none.",
    )
    check_batches(kata, got, expected)


@pytest.mark.parametrize(
    ("zoo_tokenizer", "batch_size", "multiple"),
    [("tiny_bert", 2, 8), ("unigram_tokenizer", 3, 4), ("tiny_bert", 3, 1)],
    ids=["multiples of 8", "multiples of 4 on the left", "multiples of 1"],
)
def test_pad_to_multiple_of_rounds_the_lengths_up(kata, request, zoo_tokenizer, batch_size, multiple):
    # Some batches' longest rows are already a multiple (16 for BERT in twos; 36 and 40 for the
    # Unigram tokenizer in threes): they stay as they are.
    found = request.getfixturevalue(zoo_tokenizer)
    tokenizer = found if zoo_tokenizer == "unigram_tokenizer" else found.load_tokenizer()
    if zoo_tokenizer == "unigram_tokenizer":
        tokenizer.padding_side = "left"
    dataset = tokenized(tokenizer)
    expected = expected_batches(dataset, tokenizer, batch_size, multiple=multiple)
    check_batches(
        kata,
        kata(dataset, tokenizer, batch_size, pad_to_multiple_of=multiple),
        expected,
        tip_if_wrong_shapes=(
            f"L is the batch's own longest row rounded up to the next multiple of {multiple}, "
            f"math.ceil(longest / {multiple}) * {multiple}: a longest row that already is a multiple "
            "stays as long as it is."
        ),
    )


def test_an_empty_dataset_gives_no_batches(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = tokenized(tokenizer).select([])
    got = kata(dataset, tokenizer, 4)
    expect(got == [], kata, got=describe(got), expected="[], no batches: the dataset has no row")


def test_the_dataset_and_the_tokenizer_are_left_unchanged(kata, unigram_tokenizer):
    tokenizer = unigram_tokenizer
    tokenizer.padding_side = "left"
    dataset = tokenized(tokenizer).add_column("idx", list(range(len(TEXTS))))
    rows, columns, format_before = dataset[:], dataset.column_names, dataset.format
    kata(dataset, tokenizer, 4, pad_to_multiple_of=8)
    expect(
        dataset.format == format_before and dataset.column_names == columns,
        kata,
        got=f"the dataset's columns {dataset.column_names}, format {dataset.format} after the call",
        expected=f"the dataset as it was: columns {columns}, format {format_before}",
        tip="dataset.set_format and set_transform change the dataset in place: use the copies that "
        "dataset.select_columns or with_format return.",
    )
    expect(
        dataset[:] == rows,
        kata,
        got="the dataset's rows changed by the call",
        expected="the dataset's rows as they were",
    )
    expect(
        (tokenizer.padding_side, tokenizer.pad_token) == ("left", "<pad>"),
        kata,
        got=f"the tokenizer's padding_side {tokenizer.padding_side!r}, pad token {tokenizer.pad_token!r}",
        expected="the tokenizer as it was: padding_side 'left', pad token '<pad>'",
    )


@pytest.mark.parametrize("batch_size", [0, -1])
def test_a_batch_size_below_1_raises_value_error(kata, tiny_bert, batch_size):
    tokenizer = tiny_bert.load_tokenizer()
    expect_raises(
        kata,
        ValueError,
        tokenized(tokenizer),
        tokenizer,
        batch_size,
        because=f"batch_size={batch_size} makes no batches: it must be at least 1",
    )


def test_bad_input_raises_value_error(kata, tiny_bert, tiny_gpt2):
    tokenizer = tiny_bert.load_tokenizer()
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
