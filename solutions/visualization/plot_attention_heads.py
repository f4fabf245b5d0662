"""Reference solution: plot_attention_heads (seed question 117)."""

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
    if not text:
        raise ValueError("text is empty: there are no tokens to attend to")
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    # Models load with the fused sdpa attention, which never materialises the attention matrix:
    # asked for output_attentions it returns an empty tuple. Eager attention computes the weights.
    # AutoModel is enough: the attention lives in the backbone, no task head is needed.
    model = AutoModel.from_pretrained(model_name_or_path, attn_implementation="eager")
    layers = model.config.num_hidden_layers
    if not 0 <= layer < layers:
        raise ValueError(f"layer must be between 0 and {layers - 1}, got {layer}")

    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        outputs = model(**inputs, output_attentions=True)
    # One tensor per layer, each (batch, heads, queries, keys): take the only batch row. In float32:
    # numpy has no bfloat16, the dtype of a model saved (and so loaded) in bf16.
    weights = outputs.attentions[layer][0].float()
    tokens = tokenizer.convert_ids_to_tokens(inputs["input_ids"][0])
    heads = weights.shape[0]

    size = 0.35 * len(tokens) + 1.5
    figure = Figure(figsize=(size * heads, size), layout="constrained")
    for head, axes in enumerate(figure.subplots(1, heads, squeeze=False)[0]):
        axes.imshow(weights[head].numpy(), cmap="viridis", vmin=0.0, vmax=1.0)
        axes.set_xticks(range(len(tokens)), labels=tokens, rotation=90)
        axes.set_yticks(range(len(tokens)), labels=tokens)
        axes.set_xlabel("key")
        axes.set_ylabel("query")
        axes.set_title(f"head {head}")
    figure.suptitle(f"Layer {layer} attention")
    return figure
