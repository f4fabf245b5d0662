"""Decoy for adversarial_training_step: picks the embeddings by the name "word_embeddings", as BERT calls them, so GPT-2's wte is never perturbed.

caught_by: test_the_step_uses_the_clean_and_the_adversarial_gradients_together
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def adversarial_training_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    epsilon: float,
) -> tuple[float, float]:
    if not (math.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(f"epsilon must be a finite number >= 0, got {epsilon}")
    if "labels" not in batch:
        raise ValueError("batch has no 'labels'")
    model.train()
    optimizer.zero_grad()
    clean = model(**batch).loss
    clean.backward()

    backup = {}
    for name, param in model.named_parameters():
        if param.requires_grad and "word_embeddings" in name:  # MISTAKE: GPT-2 calls it wte
            backup[name] = param.detach().clone()
            norm = torch.norm(param.grad)
            if norm != 0 and not torch.isnan(norm) and not torch.isinf(norm):
                with torch.no_grad():
                    param.add_(epsilon * param.grad / norm)

    adversarial = model(**batch).loss
    adversarial.backward()
    with torch.no_grad():
        for name, param in model.named_parameters():
            if name in backup:
                param.copy_(backup[name])
    optimizer.step()
    optimizer.zero_grad()
    return clean.item(), adversarial.item()
