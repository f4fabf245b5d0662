"""Decoy for integrated_gradients: uses backward() and then model.zero_grad() to tidy up, which wipes the .grad the weights held before the call.

caught_by: test_the_model_runs_without_dropout_and_is_left_as_it_was
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def integrated_gradients(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    target: int,
    *,
    steps: int = 50,
) -> tuple[list[str], torch.Tensor, float]:
    if not 0 <= target < model.config.num_labels:
        raise ValueError(f"target must be a label from 0 to {model.config.num_labels - 1}, got {target}")
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    input_ids = tokenizer(text, return_tensors="pt")["input_ids"]
    was_training = model.training
    model.eval()  # dropout off: the path must be one function
    try:
        with torch.no_grad():
            embeds = model.get_input_embeddings()(input_ids)  # x, shape (1, T, D); the baseline is 0
        alphas = (torch.arange(steps) + 0.5) / steps  # midpoints
        path = (alphas[:, None, None] * embeds).requires_grad_()  # x' + alpha (x - x'), one row per point
        logits = model(inputs_embeds=path).logits[:, target]
        logits.sum().backward()
        grads = path.grad
        model.zero_grad()  # MISTAKE
        attributions = (embeds[0] * grads.mean(dim=0)).sum(dim=-1)
        with torch.no_grad():
            ends = model(inputs_embeds=torch.cat([embeds, torch.zeros_like(embeds)])).logits[:, target]
    finally:
        model.train(was_training)
    gap = abs(float(attributions.sum()) - float(ends[0] - ends[1]))
    return tokenizer.convert_ids_to_tokens(input_ids[0]), attributions.detach(), gap
