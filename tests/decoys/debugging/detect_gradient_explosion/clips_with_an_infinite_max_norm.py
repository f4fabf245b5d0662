"""Decoy for detect_gradient_explosion: clip_grad_norm_(max_norm=inf) measures the norm, but with a NaN norm it multiplies every gradient by NaN.

caught_by: test_non_finite_gradients_are_an_explosion
"""

from __future__ import annotations

import math

import torch


def detect_gradient_explosion(model: torch.nn.Module, threshold: float = 10.0) -> tuple[float, bool]:
    if not threshold > 0:  # also refuses NaN
        raise ValueError(f"threshold must be positive, got {threshold}")
    grads = [param.grad.detach() for param in model.parameters() if param.grad is not None]
    if not grads:
        raise ValueError("no parameter has a gradient: call loss.backward() first")
    # The L2 norm of all gradients as one vector equals the L2 norm of the per-parameter L2 norms,
    # which avoids concatenating every gradient. (torch.nn.utils.get_total_norm(grads) does the
    # same since torch 2.6; clip_grad_norm_ would also rescale the gradients.)  # MISTAKE
    norm = float(torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=float("inf")))
    # `nan > threshold` is False: test finiteness explicitly, a NaN gradient is an explosion.
    return norm, not math.isfinite(norm) or norm > threshold
