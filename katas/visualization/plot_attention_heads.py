"""Kata: visualize the attention heads of one layer (seed question 117).

Run the checks with:  pytest --katas plot_attention_heads
"""

from __future__ import annotations

import os

import torch
from matplotlib.figure import Figure
from transformers import AutoModel, AutoTokenizer


def plot_attention_heads(
    model_name_or_path: str | os.PathLike[str],
    text: str,
    layer: int = 0,
) -> Figure:
    """Draw every attention head of one layer of a model as a heat map over the text's tokens.

    Args:
        model_name_or_path: a Hub name or a local folder holding a Transformer and its tokenizer
            (the checks pass tiny BERT and GPT-2 folders, saved with the default attention).
        text: the text to run through the model.
        layer: which layer's heads to draw, from 0 to ``config.num_hidden_layers - 1``.

    Returns:
        A matplotlib Figure with one Axes per attention head of that layer, head 0 first, and
        no other Axes (no colour bar). Axes ``h`` shows one image, the attention weights of head
        ``h`` for the text, ``outputs.attentions[layer][0, h]``: row ``i`` is how much token ``i``
        (the query) attends to each token (the keys). Both axes' tick labels are the tokens,
        ``tokenizer.convert_ids_to_tokens(input_ids)``, and each Axes' title names its head
        (``"head 0"``, ...). Return the figure: do not show it or save it to a file.

    Raises:
        ValueError: if ``text`` is empty or ``layer`` is not a layer of the model.
        OSError: when no model can be found (from transformers).
    """
    # TODO: load the model so that it returns attention weights, run it, draw one heat map per head.
    raise NotImplementedError
