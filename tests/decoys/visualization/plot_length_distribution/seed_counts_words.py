"""Decoy for plot_length_distribution: like the seed's snippet it measures length in words (text.split()), not in the tokens the model generates.

caught_by: test_the_bars_count_generated_texts_by_length_in_tokens
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
    lengths = [len(text.split()) for text in texts]  # MISTAKE: words, not tokens

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
