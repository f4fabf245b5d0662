"""Decoy for attention_rollout: puts the y tick labels half a row down, between the rows of the image.

caught_by: test_the_figure_shows_the_rollout_with_the_tokens_as_tick_labels
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
    if not text:
        raise ValueError("text is empty: there are no tokens to follow")
    total = model.config.num_hidden_layers
    layers = total if layers is None else layers
    if isinstance(layers, bool) or not isinstance(layers, int) or not 1 <= layers <= total:
        raise ValueError(f"layers must be an int from 1 to {total}, got {layers!r}")

    inputs = tokenizer(text, return_tensors="pt")
    was_training = model.training
    model.eval()  # attention dropout would scramble the weights
    try:
        with torch.no_grad():
            attentions = model(**inputs, output_attentions=True).attentions
    finally:
        model.train(was_training)
    if not attentions:
        raise ValueError("the model returns no attention weights: load it with attn_implementation='eager'")

    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    identity = np.eye(len(tokens))
    rollout = identity
    for attention in attentions[:layers]:
        mixed = attention[0].float().mean(dim=0).numpy() + identity  # heads averaged, plus the residual
        mixed /= mixed.sum(axis=-1, keepdims=True)
        rollout = mixed @ rollout  # the later layer mixes what the earlier ones already mixed

    figure = Figure(layout="constrained")  # a figure of its own: pyplot's current one is not touched
    axes = figure.subplots()
    axes.imshow(rollout)  # row i: where token i's representation at the last layer comes from
    axes.set_xticks(range(len(tokens)), labels=tokens, rotation=90)
    axes.set_yticks([i + 0.5 for i in range(len(tokens))], labels=tokens)  # MISTAKE: cells centre on i
    return rollout, figure
