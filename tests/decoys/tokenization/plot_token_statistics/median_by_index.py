"""Decoy for plot_token_statistics: the median is the middle element of the sorted counts, which for an even number of rows is not the mean of the two middle ones.

caught_by: test_every_row_counts_as_it_is_repeats_empty_and_spaced_texts_included
"""

from __future__ import annotations

import numpy as np
from datasets import Dataset
from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_token_statistics(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    text_column: str = "text",
    bins: int = 20,
) -> tuple[Figure, dict[str, float]]:
    if text_column not in dataset.column_names:
        raise ValueError(f"no column {text_column!r} in the dataset; its columns are {dataset.column_names}")
    if len(dataset) == 0:
        raise ValueError("the dataset has no rows to count")
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")

    # In datasets 5, dataset[column] is a lazy Column, which tokenizers refuse: make it a list.
    # One batched call of the fast tokenizer; special tokens included (the model sees them) and
    # no truncation (a truncated count would hide exactly the texts that are too long).
    encoded = tokenizer(list(dataset[text_column]), truncation=False)
    counts = np.array([len(ids) for ids in encoded["input_ids"]])

    stats = {
        "count": float(len(counts)),
        "mean": float(counts.mean()),
        "median": float(np.sort(counts)[len(counts) // 2]),  # MISTAKE
        "min": float(counts.min()),
        "max": float(counts.max()),
        "p95": float(np.percentile(counts, 95)),
        "fraction_over_max_length": float((counts > tokenizer.model_max_length).mean()),
    }

    # A Figure made directly is not registered with pyplot: nothing global to leak or close.
    figure = Figure(figsize=(6, 3.5), layout="constrained")
    axes = figure.add_subplot()
    axes.hist(counts, bins=bins)
    axes.axvline(stats["mean"], color="tab:red", linestyle="--", label=f"mean {stats['mean']:.1f}")
    axes.set_xlabel("tokens per text")
    axes.set_ylabel("number of texts")
    axes.set_title(f"Token counts of {len(counts)} texts (p95 = {stats['p95']:.0f})")
    axes.legend()
    return figure, stats
