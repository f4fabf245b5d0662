"""Kata: visualize a model's output probabilities (seed question 11).

Run the checks with:  pytest --katas plot_output_probs
"""

from __future__ import annotations

from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def plot_output_probs(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    top_k: int = 10,
) -> Figure:
    """Draw the model's prediction for the token that follows ``text`` as a bar chart.

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        text: the context; the chart shows the distribution of the *next* token after it.
        top_k: how many of the most likely next tokens to draw.

    Returns:
        A matplotlib Figure with one Axes holding ``top_k`` bars, most likely first: each bar's
        height is the token's probability (the softmax of the logits at the last position), each
        x tick label is the token, ``tokenizer.decode([token_id])``, and the y axis is labelled
        ``"probability"``. Return the figure: do not show it or save it to a file.

    Raises:
        ValueError: if ``top_k`` is less than 1 or larger than the vocabulary.
    """
    # TODO: run the model, turn the last position's logits into probabilities, plot the top k.
    raise NotImplementedError
