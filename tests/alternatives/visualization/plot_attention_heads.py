"""Alternative: switch a loaded model to eager attention, pyplot's subplots, tick labels set apart."""

from __future__ import annotations

import os

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from transformers import AutoModel, AutoTokenizer


def plot_attention_heads(
    model_name_or_path: str | os.PathLike[str],
    text: str,
    layer: int = 0,
) -> Figure:
    if text == "":
        raise ValueError("empty text")
    model = AutoModel.from_pretrained(model_name_or_path)
    model.set_attn_implementation("eager")
    if layer < 0 or layer >= model.config.num_hidden_layers:
        raise ValueError(f"no layer {layer}")
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    encoded = tokenizer(text, return_tensors="pt")
    with torch.inference_mode():
        attentions = model(**encoded, output_attentions=True).attentions
    tokens = [tokenizer.convert_ids_to_tokens(int(i)) for i in encoded.input_ids[0]]
    heads = model.config.num_attention_heads
    fig, axs = plt.subplots(1, heads, figsize=(4 * heads, 4))
    for h in range(heads):
        ax = axs[h] if heads > 1 else axs
        ax.imshow(attentions[layer][0, h].to(torch.float64).numpy(), cmap="hot")
        ax.set_xticks(range(len(tokens)))
        ax.set_xticklabels(tokens, rotation=90)
        ax.set_yticks(range(len(tokens)))
        ax.set_yticklabels(tokens)
        ax.set_title(f"Head {h}")
    return fig
