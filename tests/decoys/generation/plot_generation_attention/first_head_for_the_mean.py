"""Decoy for plot_generation_attention: head=None shows head 0 instead of the mean over all heads.

caught_by: test_rows_are_the_attention_of_each_generated_token
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
    if not prompt:
        raise ValueError("prompt must not be empty: a causal LM needs at least one token to continue")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    # sdpa (the default) and flash attention never materialise the weights: ask for eager.
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path, attn_implementation="eager")
    layers, heads = model.config.num_hidden_layers, model.config.num_attention_heads
    if not -layers <= layer < layers:
        raise ValueError(f"layer must be in [{-layers}, {layers}), got {layer}")
    if head is not None and not 0 <= head < heads:
        raise ValueError(f"head must be in [0, {heads}) or None, got {head}")

    inputs = tokenizer(prompt, return_tensors="pt")
    prompt_length = inputs["input_ids"].shape[1]
    with torch.no_grad():
        out = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            output_attentions=True,
            return_dict_in_generate=True,
        )
    # out.attentions: one tuple per generated token, each holding one tensor per layer of shape
    # (batch, heads, queries, keys). Step 0 sees the whole prompt (P queries); with the KV cache,
    # each later step feeds one token (1 query) and attends to everything before it.
    steps = len(out.attentions)
    matrix = torch.zeros(steps, prompt_length + steps - 1)
    for i, step in enumerate(out.attentions):
        weights = step[layer][0, :, -1]  # (heads, keys): the query that predicted token i
        row = weights[0] if head is None else weights[head]  # MISTAKE: no mean
        matrix[i, : row.shape[0]] = row

    sequence = out.sequences[0].tolist()
    generated = sequence[prompt_length:]
    context = sequence[: prompt_length + steps - 1]
    figure = Figure(figsize=(max(4.0, 0.5 * len(context)), max(3.0, 0.5 * steps)), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(matrix.numpy(), cmap="viridis", vmin=0.0, vmax=1.0)
    axes.set_xticks(range(len(context)), labels=[tokenizer.decode([i]) for i in context], rotation=90)
    axes.set_yticks(range(steps), labels=[tokenizer.decode([i]) for i in generated])
    axes.set_xlabel("context token")
    axes.set_ylabel("generated token")
    which = "mean over heads" if head is None else f"head {head}"
    axes.set_title(f"Attention during generation (layer {layer}, {which})")
    figure.colorbar(image, ax=axes)
    return figure
