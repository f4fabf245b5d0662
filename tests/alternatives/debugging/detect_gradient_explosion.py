"""Alternative: torch.nn.utils.get_total_norm over the gradients that exist."""

from __future__ import annotations

import math

import torch


def detect_gradient_explosion(model: torch.nn.Module, threshold: float = 10.0) -> tuple[float, bool]:
    if threshold <= 0 or math.isnan(threshold):
        raise ValueError("threshold must be a positive number")
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    if len(grads) == 0:
        raise ValueError("the model has no gradients yet; run backward() before checking them")
    norm = torch.nn.utils.get_total_norm(grads, norm_type=2.0).item()
    exploded = math.isnan(norm) or math.isinf(norm) or norm > threshold
    return norm, exploded
