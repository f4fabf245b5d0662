"""Kata: attention rollout, how attention flows through the layers (seed question 124).

Run the checks with:  pytest --katas attention_rollout
"""

from __future__ import annotations

import numpy as np
import torch
from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def attention_rollout(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    layers: int | None = None,
) -> tuple[np.ndarray, Figure]:
    """Follow the attention through the layers (attention rollout, Abnar & Zuidema 2020) and draw it.

    Run the text (tokenized as it is, special tokens included) through the model once, without
    dropout, and take each layer's attention weights ``outputs.attentions[l][0]`` (heads,
    queries, keys). For each of the first ``layers`` layers: average the heads, add the identity
    matrix (the residual connection carries each token on), and divide each row by its sum. The
    rollout is the product of these matrices, the later layer on the left:
    ``rollout = A_last @ ... @ A_1 @ A_0``. Row ``i`` then says how much each input token
    contributes to token ``i`` after those layers; every row sums to 1.

    Args:
        model: a Transformers model with eager attention (so that ``output_attentions=True``
            returns the weights), encoder or decoder; in train or eval mode.
        tokenizer: its tokenizer.
        text: the text to follow, not empty.
        layers: how many layers to roll out, from the first; from 1 to
            ``config.num_hidden_layers``. None (the default) means all of them.

    Returns:
        ``(rollout, figure)``: the rollout, a float numpy array of shape (tokens, tokens); and a
        matplotlib Figure with one Axes that shows the rollout as one image (row ``i`` of the
        image is row ``i`` of the rollout), whose x and y tick labels are the tokens,
        ``tokenizer.convert_ids_to_tokens(input_ids)``. A colour bar may be added. The figure is
        returned, neither shown nor saved.

    The model is left as it was: its weights, its mode (train or eval) and its config.

    Raises:
        ValueError: if ``text`` is empty, ``layers`` is not an int from 1 to
            ``config.num_hidden_layers``, or the model returns no attention weights (it was
            loaded with sdpa attention).
    """
    # TODO: run the model for its attentions, mix them layer by layer, draw the rollout.
    raise NotImplementedError
