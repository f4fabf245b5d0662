"""Decoy for adversarial_training_step: perturbs every parameter whose name holds 'embeddings' (positions and token types too, in BERT).

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
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to train on")
    model.train()
    optimizer.zero_grad()
    clean = model(**batch).loss
    clean.backward()

    embeddings = model.get_input_embeddings().weight
    original = embeddings.detach().clone()  # to put back bit for bit: (E + d) - d is not always E
    chosen = [p for n, p in model.named_parameters() if "embeddings" in n or p is embeddings]  # MISTAKE
    saved = [p.detach().clone() for p in chosen]
    for p in chosen:
        if p.grad is not None and torch.isfinite(p.grad.norm()) and p.grad.norm() > 0:
            with torch.no_grad():
                p.add_(epsilon * p.grad / p.grad.norm())

    adversarial = model(**batch).loss
    adversarial.backward()  # no zero_grad() in between: the two gradients add up
    with torch.no_grad():
        for p, s in zip(chosen, saved):
            p.copy_(s)
    optimizer.step()
    optimizer.zero_grad()
    return clean.item(), adversarial.item()
