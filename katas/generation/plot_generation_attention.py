"""Kata: visualize the attention weights a model uses while it generates (seed question 71).

Run the checks with:  pytest --katas plot_generation_attention
"""

from __future__ import annotations

import os

import torch
from matplotlib.figure import Figure
from transformers import AutoModelForCausalLM, AutoTokenizer


def plot_generation_attention(
    model_name_or_path: str | os.PathLike[str],
    prompt: str,
    *,
    max_new_tokens: int = 5,
    layer: int = -1,
    head: int | None = None,
) -> Figure:
    """Show where the model looked each time it generated a token, as a heatmap.

    Load the causal LM and its tokenizer from ``model_name_or_path`` (the folder holds the
    default sdpa attention, which computes no attention weights), continue ``prompt`` greedily
    by up to ``max_new_tokens`` tokens, and collect the attention weights *during* generation.

    Row ``i`` of the heatmap belongs to the ``i``-th generated token: it holds the attention of
    the query that predicted that token (the last position fed to the model at that step) over
    the context it could see. The columns are the tokens that were fed to the model: the prompt's
    tokens followed by every generated token but the last (nothing attends to the last one). So
    with P prompt tokens and N generated tokens the matrix has shape (N, P + N - 1); row ``i``
    has P + i weights that sum to 1, followed by zeros for the tokens that did not exist yet.

    Args:
        model_name_or_path: a folder (or Hub name) holding a causal LM and its tokenizer.
        prompt: the text to continue; must not be empty.
        max_new_tokens: how many tokens to generate at most (fewer if the model ends the text).
        layer: which layer's attention to show; negative values count from the end.
        head: which attention head to show, or None for the mean over all heads.

    Returns:
        A matplotlib Figure whose Axes shows the (N, P + N - 1) matrix with ``imshow`` (a
        colorbar is welcome). The y tick labels are the generated tokens and the x tick labels
        the context tokens, each one decoded on its own with ``tokenizer.decode([token_id])``.
        Return the figure: do not show it or save it to a file.

    Raises:
        ValueError: if ``prompt`` is empty, if ``max_new_tokens`` is less than 1, or if
            ``layer`` or ``head`` is out of range for the model.
    """
    # TODO: load with eager attention, generate with output_attentions, build the matrix, draw it.
    raise NotImplementedError
