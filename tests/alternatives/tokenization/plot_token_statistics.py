"""Alternative: a batched map adds a length column; np.histogram and ax.bar draw the bins."""

from __future__ import annotations

import statistics

import matplotlib.pyplot as plt
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
    if text_column not in dataset.features or dataset.num_rows == 0 or bins <= 0:
        raise ValueError("bad text_column, empty dataset or bins < 1")
    lengths = dataset.map(
        lambda batch: {"n_tokens": [len(ids) for ids in tokenizer(batch[text_column])["input_ids"]]},
        batched=True,
    )["n_tokens"]
    counts = [int(n) for n in lengths]
    mean = statistics.fmean(counts)
    stats = {
        "count": float(len(counts)),
        "mean": mean,
        "median": float(statistics.median(counts)),
        "min": float(min(counts)),
        "max": float(max(counts)),
        "p95": float(np.quantile(counts, 0.95)),
        "fraction_over_max_length": sum(n > tokenizer.model_max_length for n in counts) / len(counts),
    }
    heights, edges = np.histogram(counts, bins=bins)
    fig, ax = plt.subplots()
    ax.bar(edges[:-1], heights, width=np.diff(edges), align="edge")
    ax.axvline(x=mean, color="black")
    ax.set(xlabel="Number of tokens", ylabel="Texts")
    return fig, stats
