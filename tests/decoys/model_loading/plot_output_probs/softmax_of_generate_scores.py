"""Decoy for plot_output_probs: it softmaxes the scores of generate(), which the model's generation config has already changed (a temperature, a top-k), not the raw logits.

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
    inputs = tokenizer(text, return_tensors="pt")
    # MISTAKE: generate()'s scores go through the generation config (temperature, top-k, ...)
    generated = model.generate(**inputs, max_new_tokens=1, output_scores=True, return_dict_in_generate=True)
    probs = generated.scores[0][0].softmax(dim=-1)
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
