"""Decoy for attention_rollout: the image shows the rollout transposed, keys down and tokens across.

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

    size = 0.4 * len(tokens) + 2
    figure = Figure(figsize=(size + 1, size), layout="constrained")
    axes = figure.subplots()
    image = axes.imshow(rollout.T, cmap="viridis", vmin=0.0, vmax=1.0)  # MISTAKE
    axes.set_xticks(range(len(tokens)), labels=tokens, rotation=90)
    axes.set_yticks(range(len(tokens)), labels=tokens)
    axes.set_xlabel("input token")
    axes.set_ylabel("token at the last layer")
    axes.set_title(f"Attention rollout over {layers} layers")
    figure.colorbar(image, ax=axes)
    return rollout, figure
