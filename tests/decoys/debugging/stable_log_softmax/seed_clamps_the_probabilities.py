"""Decoy for stable_log_softmax: the seed's clamp: log(clamp(softmax, 1e-8, 1e8)) stays finite but is wrong for huge logits.

caught_by: test_huge_logits_stay_finite_and_exact
"""

from __future__ import annotations

import torch


def stable_log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        kind = f"a {logits.dtype} tensor" if isinstance(logits, torch.Tensor) else type(logits).__name__
        raise TypeError(f"logits must be a floating-point torch.Tensor, got {kind}")
    # log softmax(x) = x - log(sum(exp(x))). torch.logsumexp computes the second term as
    # m + log(sum(exp(x - m))) with m the maximum: the largest exponent is exp(0) = 1, so nothing
    # overflows, and the subtraction happens in log space, so nothing underflows to log(0).
    # (torch.log_softmax fuses the same computation into one kernel.) Not in place: the caller's
    # logits stay as they were.
    epsilon = 1e-8
    return torch.log(torch.clamp(torch.softmax(logits, dim=dim), min=epsilon, max=1 / epsilon))  # MISTAKE
