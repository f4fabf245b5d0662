"""Decoy for plot_length_distribution: empty texts are left out of the histogram instead of counting as 0 tokens.

caught_by: test_every_text_counts_as_it_is
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence

from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_length_distribution(
    texts: Sequence[str],
    tokenizer: PreTrainedTokenizerBase,
    bins: int = 10,
) -> Figure:
    if isinstance(texts, str):
        raise TypeError("texts must be a sequence of texts, not a single string")
    if len(texts) == 0:
        raise ValueError("texts is empty: there is no distribution to draw")
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    # A model reads and writes tokens: its limits (max_new_tokens, the context window) are counted
    # with its tokenizer, not in words. One batched call, without padding (rows keep their own
    # length) and without the special tokens the tokenizer wraps around each text.
    ids = tokenizer([text for text in texts if text.strip()], add_special_tokens=False)[
        "input_ids"
    ]  # MISTAKE
    lengths = [len(row) for row in ids]

    figure = Figure(figsize=(5.0, 3.5), layout="constrained")
    axes = figure.add_subplot()
    axes.hist(lengths, bins=bins, edgecolor="white")
    mean = statistics.mean(lengths)
    axes.axvline(mean, color="black", linestyle="--", label=f"mean {mean:.1f}")
    axes.set_xlabel("length (tokens)")
    axes.set_ylabel("texts")
    axes.set_title(f"Lengths of {len(lengths)} generated texts")
    axes.legend()
    return figure
