"""Alternative: the whole rollout in torch, (mean + I) / 2 per layer (rows of attention already
sum to 1), functools.reduce for the product, and matshow on a Figure's Axes."""

from __future__ import annotations

from functools import reduce

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
    n_layers = model.config.num_hidden_layers
    if layers is None:
        layers = n_layers
    if type(layers) is not int or layers < 1 or layers > n_layers:
        raise ValueError(f"layers: expected 1..{n_layers}")
    if len(text) == 0:
        raise ValueError("empty text")
    encoded = tokenizer(text, return_tensors="pt")
    mode = model.training
    try:
        with torch.inference_mode():
            outputs = model.eval()(**encoded, output_attentions=True)
    finally:
        model.train(mode)
    if len(outputs.attentions) == 0:
        raise ValueError("no attention weights: use eager attention")
    n = encoded["input_ids"].shape[-1]
    eye = torch.eye(n)
    per_layer = [(layer[0].mean(0) + eye) / 2 for layer in outputs.attentions[:layers]]
    rollout = reduce(lambda acc, a: a @ acc, per_layer, eye).numpy()

    figure = Figure()
    ax = figure.add_subplot()
    ax.matshow(rollout)
    labels = tokenizer.convert_ids_to_tokens(encoded["input_ids"][0].tolist())
    ax.set_xticks(np.arange(n), labels, rotation="vertical")
    ax.set_yticks(np.arange(n), labels)
    return rollout, figure
