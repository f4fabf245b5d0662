"""Decoy for plot_output_probs: a top_k of 0 or larger than the vocabulary is not rejected with a clear ValueError.

caught_by: test_a_bad_top_k_raises_value_error
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
    # MISTAKE: top_k not validated
    inputs = tokenizer(text, return_tensors="pt")
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
