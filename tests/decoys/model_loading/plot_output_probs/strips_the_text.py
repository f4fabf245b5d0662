"""Decoy for plot_output_probs: it strips the text before tokenizing it, so a leading or trailing space no longer belongs to the context.

caught_by: test_the_chart_follows_the_text_as_given_for_any_causal_lm
"""

from __future__ import annotations

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
    inputs = tokenizer(text.strip(), return_tensors="pt")  # MISTAKE: the spaces are part of the context
    with torch.no_grad():
        logits = model(**inputs).logits  # (batch, sequence, vocabulary)
    # The last position predicts the next token; softmax over the vocabulary, not the sequence.
    probs = logits[0, -1].softmax(dim=-1)
    values, ids = torch.topk(probs, top_k)  # sorted, most likely first
    labels = [tokenizer.decode([token_id]) for token_id in ids.tolist()]

    # A Figure made directly is not registered with pyplot: nothing global to leak or close.
    figure = Figure(figsize=(max(4.0, 0.6 * top_k), 3.5), layout="constrained")
    axes = figure.add_subplot()
    axes.bar(range(top_k), values.tolist())
    axes.set_xticks(range(top_k), labels=labels, rotation=45)
    axes.set_ylabel("probability")
    axes.set_title(f"Next token after {text!r}")
    return figure
