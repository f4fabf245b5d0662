"""Decoy for clip_gradients: it refuses max_norm <= 0, which lets NaN through (every comparison with NaN is false) and turns the gradients to NaN.

caught_by: test_a_max_norm_that_is_not_positive_raises_value_error
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
    total = torch.sqrt(sum((g.detach().float() ** 2).sum() for g in grads))
    factor = max_norm / (total + 1e-6)
    if factor < 1:
        with torch.no_grad():
            for g in grads:
                g.mul_(factor)
    optimizer.step()
    return float(total)
