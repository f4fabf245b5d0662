"""Decoy for clip_gradients: it adds up each parameter's norm instead of taking the global L2 norm, so it clips too hard and reports too much.

caught_by: test_large_gradients_are_scaled_down_together_and_the_norm_before_is_returned
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def clip_gradients(
    model: PreTrainedModel,
    batch: Mapping[str, torch.Tensor],
    optimizer: torch.optim.Optimizer,
    max_norm: float,
) -> float:
    if max_norm <= 0:
        raise ValueError("max_norm must be > 0")
    if "labels" not in batch:
        raise ValueError("batch needs labels for the model to compute a loss")
    model.zero_grad(set_to_none=True)
    model(**batch).loss.backward()
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    total = sum(g.detach().float().norm() for g in grads)  # MISTAKE: a sum of norms
    factor = max_norm / (total + 1e-6)
    if factor < 1:
        with torch.no_grad():
            for g in grads:
                g.mul_(factor)
    optimizer.step()
    return float(total)
