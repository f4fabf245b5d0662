"""Decoy for detect_gradient_explosion: only parameters with requires_grad count, so a gradient of a parameter frozen after backward() is left out.

caught_by: test_parameters_without_gradients_are_left_out
"""

from __future__ import annotations

import math

import torch


def detect_gradient_explosion(model: torch.nn.Module, threshold: float = 10.0) -> tuple[float, bool]:
    if not threshold > 0:  # also refuses NaN
        raise ValueError(f"threshold must be positive, got {threshold}")
    grads = [
        param.grad.detach() for param in model.parameters() if param.requires_grad and param.grad is not None
    ]  # MISTAKE
    if not grads:
        raise ValueError("no parameter has a gradient: call loss.backward() first")
    # The L2 norm of all gradients as one vector equals the L2 norm of the per-parameter L2 norms,
    # which avoids concatenating every gradient. (torch.nn.utils.get_total_norm(grads) does the
    # same since torch 2.6; clip_grad_norm_ would also rescale the gradients.)
    norm = float(torch.linalg.vector_norm(torch.stack([torch.linalg.vector_norm(g) for g in grads])))
    # `nan > threshold` is False: test finiteness explicitly, a NaN gradient is an explosion.
    return norm, not math.isfinite(norm) or norm > threshold
