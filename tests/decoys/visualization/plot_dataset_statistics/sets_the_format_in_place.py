"""Decoy for plot_dataset_statistics: dataset.set_format('numpy') changes the format of the caller's dataset in place.

caught_by: test_every_row_counts_as_it_is_and_the_dataset_is_left_unchanged
"""

from __future__ import annotations

from datasets import ClassLabel, Dataset
from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_dataset_statistics(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    text_column: str = "text",
    label_column: str = "label",
) -> Figure:
    missing = [c for c in (text_column, label_column) if c not in dataset.column_names]
    if missing:
        raise ValueError(f"the dataset has no column {missing}; its columns are {dataset.column_names}")
    if dataset.num_rows == 0:
        raise ValueError("the dataset has no rows")
    # The rows hold integers; the class names live in the schema, on the ClassLabel feature.
    feature = dataset.features[label_column]
    if not isinstance(feature, ClassLabel):
        raise TypeError(
            f"{label_column!r} is {feature!r}, not a ClassLabel: "
            f"dataset.class_encode_column({label_column!r}) makes it one"
        )

    dataset.set_format("numpy", columns=[label_column], output_all_columns=True)  # MISTAKE
    # dataset[column] is a datasets 5 Column, which the tokenizer refuses: list() it first.
    # One batched call, without padding and without the special tokens the tokenizer adds.
    ids = tokenizer(list(dataset[text_column]), add_special_tokens=False)["input_ids"]
    lengths = [len(row) for row in ids]
    counts = [0] * feature.num_classes
    totals = [0] * feature.num_classes
    for label, length in zip(dataset[label_column], lengths, strict=True):
        counts[label] += 1
        totals[label] += length
    means = [total / count if count else 0.0 for total, count in zip(totals, counts, strict=True)]

    figure = Figure(figsize=(9.0, 3.5), layout="constrained")
    left, right = figure.subplots(1, 2)
    left.bar(feature.names, counts)
    left.set_ylabel("examples")
    left.set_title("Examples per class")
    right.bar(feature.names, means)
    right.set_ylabel("mean length (tokens)")
    right.set_title("Text length per class")
    figure.suptitle(f"{dataset.num_rows} examples")
    return figure
