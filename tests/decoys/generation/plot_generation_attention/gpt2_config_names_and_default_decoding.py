"""Decoy for plot_generation_attention: it reads GPT-2's own config names (n_layer, n_head) and leaves decoding to the generation_config, so another architecture, or one that samples by default, breaks it.

caught_by: test_greedy_by_default_for_5_tokens_on_a_model_that_samples_and_ends_early
"""

from __future__ import annotations

import os

import matplotlib.pyplot as plt
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
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path)
    model.set_attn_implementation("eager")
    n_layers, n_heads = model.config.n_layer, model.config.n_head
    if not prompt or max_new_tokens <= 0 or layer >= n_layers or layer < -n_layers:
        raise ValueError("bad prompt, max_new_tokens or layer")
    if head is not None and (head < 0 or head >= n_heads):
        raise ValueError("bad head")
    ids = tokenizer(prompt, return_tensors="pt").input_ids
    start = ids.shape[1]
    with torch.no_grad():
        sequence = model.generate(ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens)
        attentions = model(sequence, output_attentions=True).attentions[layer][0]
    steps = sequence.shape[1] - start
    chosen = attentions.mean(0) if head is None else attentions[head]
    matrix = chosen[start - 1 : start - 1 + steps, : start + steps - 1]
    tokens = [tokenizer.decode([t]) for t in sequence[0].tolist()]
    fig, ax = plt.subplots()
    ax.imshow(matrix.numpy(), aspect="auto")
    ax.set_xticks(range(start + steps - 1))
    ax.set_xticklabels(tokens[: start + steps - 1])
    ax.set_yticks(range(steps))
    ax.set_yticklabels(tokens[start:])
    return fig
