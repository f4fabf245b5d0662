"""Alternative: set_attn_implementation after loading, one forward pass over the finished
sequence (causal rows do not depend on later tokens), and pyplot's subplots."""

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
    n_layers, n_heads = model.config.num_hidden_layers, model.config.num_attention_heads
    if not prompt or max_new_tokens <= 0 or layer >= n_layers or layer < -n_layers:
        raise ValueError("bad prompt, max_new_tokens or layer")
    if head is not None and (head < 0 or head >= n_heads):
        raise ValueError("bad head")
    ids = tokenizer(prompt, return_tensors="pt").input_ids
    start = ids.shape[1]
    with torch.no_grad():
        sequence = model.generate(
            ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens, do_sample=False
        )
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
