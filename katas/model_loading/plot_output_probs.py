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
        model: a causal language model (the checks pass a tiny GPT-2, and others).
        tokenizer: its tokenizer.
        text: the context, exactly as given (a leading or trailing space is part of it); the
            chart shows the distribution of the *next* token after it.
        top_k: how many of the most likely next tokens to draw.

    Returns:
        A new matplotlib Figure on every call (an earlier call's figure is left as it was), with
        one Axes holding ``top_k`` bars side by side, most likely first (leftmost): each bar's
        height is the token's probability (the softmax of the logits at the last position of a
        forward pass on ``tokenizer(text)``, special tokens included), the x tick under each bar
        is labelled with its token, ``tokenizer.decode([token_id])`` (two tokens may decode to
        the same text: each still has a bar of its own), and the y axis is labelled
        ``"probability"``. Return the figure: do not show it or save it to a file.

    Raises:
        ValueError: if ``top_k`` is less than 1 or larger than the vocabulary.
    """
    # TODO: run the model, turn the last position's logits into probabilities, plot the top k.
    raise NotImplementedError
