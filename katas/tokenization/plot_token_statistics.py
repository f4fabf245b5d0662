"""Kata: visualize tokenization statistics (seed question 35).

Run the checks with:  pytest --katas plot_token_statistics
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
    """Count the tokens of every text of a dataset, summarize the counts and draw their histogram.

    The count of a text is the number of ids the model would see: ``input_ids`` with the
    tokenizer's special tokens (``[CLS]``, ``[SEP]``, ...) included and no truncation. Every row
    counts, as it is: repeated and empty texts included, spaces kept.

    Args:
        dataset: a ``datasets.Dataset`` with a column of texts.
        tokenizer: the tokenizer of the model that will read the texts.
        text_column: the name of the column that holds the texts.
        bins: the number of bins of the histogram.

    Returns:
        ``(figure, stats)``. ``stats`` maps ``"count"`` (the number of texts), ``"mean"``,
        ``"median"`` (as ``numpy.median`` computes it), ``"min"``, ``"max"``, ``"p95"`` (the 95th
        percentile, as ``numpy.percentile`` computes it) of the token counts, and
        ``"fraction_over_max_length"``
        (the share of texts with more tokens than ``tokenizer.model_max_length``, which would be
        truncated) to floats. ``figure`` is a matplotlib Figure with one Axes holding the
        histogram of the counts with ``bins`` bins (as ``ax.hist(counts, bins=bins)`` draws it)
        and a vertical line at the mean; its x axis label mentions "tokens" and its y axis
        label mentions "texts". Return the figure: do not show it or save it to a file.

    Raises:
        ValueError: if ``text_column`` is not a column of ``dataset``, the dataset has no rows,
            or ``bins`` < 1.
    """
    # TODO: tokenize the column in one call, count the ids of each text, summarize and plot.
    raise NotImplementedError
