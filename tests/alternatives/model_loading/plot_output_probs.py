"""Alternative: pyplot's subplots, functional softmax, and sorting by hand."""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch.nn.functional as F
from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def plot_output_probs(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    top_k: int = 10,
) -> Figure:
    if top_k < 1 or top_k > len(tokenizer):
        raise ValueError(f"bad top_k {top_k}")
    logits = model(**tokenizer(text, return_tensors="pt")).logits.detach()
    probs = F.softmax(logits[:, -1, :], dim=-1)[0].tolist()
    ranked = sorted(range(len(probs)), key=lambda i: probs[i], reverse=True)[:top_k]
    fig, ax = plt.subplots()
    ax.bar([str(i) for i in range(top_k)], [probs[i] for i in ranked])
    ax.set_xticks(range(top_k))
    ax.set_xticklabels([tokenizer.decode([i]) for i in ranked])
    ax.set_ylabel("Probability")
    return fig
