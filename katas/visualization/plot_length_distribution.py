"""Kata: visualize the length distribution of generated texts (seed question 115).

Run the checks with:  pytest --katas plot_length_distribution
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_length_distribution(
    texts: Sequence[str],
    tokenizer: PreTrainedTokenizerBase,
    bins: int = 10,
) -> Figure:
    """Draw a histogram of how long generated texts are, measured in tokens.

    Args:
        texts: texts a model generated (the checks sample them from a tiny GPT-2).
        tokenizer: the tokenizer that defines what a token is (the model's own).
        bins: the number of equal-width bins between the shortest and the longest length.

    Returns:
        A matplotlib Figure with one Axes: a histogram of the texts' lengths in tokens, with
        ``bins`` bars as ``numpy.histogram(lengths, bins=bins)`` would count them. A length is
        the number of tokens the tokenizer turns the text into, without the special tokens it
        adds around a text (such as BERT's [CLS] and [SEP]). A dashed vertical line marks the
        mean length; the x axis is labelled ``"length (tokens)"``, the y axis ``"texts"``.
        Return the figure: do not show it or save it to a file.

    Raises:
        TypeError: if ``texts`` is a single string rather than a sequence of texts.
        ValueError: if ``texts`` is empty or ``bins`` is less than 1.
    """
    # TODO: count each text's tokens, draw their histogram and a line at the mean.
    raise NotImplementedError
