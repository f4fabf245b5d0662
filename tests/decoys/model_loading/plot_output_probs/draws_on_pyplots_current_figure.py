"""Decoy for plot_output_probs: it draws on pyplot's current figure (plt.gcf(), plt.gca()), so a second call adds its bars to the first call's figure.

caught_by: test_each_call_draws_a_figure_of_its_own
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def plot_output_probs(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    top_k: int = 10,
) -> Figure:
    vocabulary = model.config.vocab_size
    if not 1 <= top_k <= vocabulary:
        raise ValueError(f"top_k must be between 1 and the vocabulary size {vocabulary}, got {top_k}")
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        logits = model(**inputs).logits  # (batch, sequence, vocabulary)
    # The last position predicts the next token; softmax over the vocabulary, not the sequence.
    probs = logits[0, -1].softmax(dim=-1)
    values, ids = torch.topk(probs, top_k)  # sorted, most likely first
    labels = [tokenizer.decode([token_id]) for token_id in ids.tolist()]

    figure = plt.gcf()  # MISTAKE: the figure of the previous call, if any
    axes = plt.gca()
    axes.bar(range(top_k), values.tolist())
    axes.set_xticks(range(top_k), labels=labels, rotation=45)
    axes.set_ylabel("probability")
    axes.set_title(f"Next token after {text!r}")
    return figure
