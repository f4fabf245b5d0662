"""Alternative: the max-shift trick written out by hand."""

from __future__ import annotations

import torch


def stable_log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    if not torch.is_tensor(logits) or not torch.is_floating_point(logits):
        raise TypeError("stable_log_softmax needs a floating-point tensor of logits")
    # The largest logit becomes 0: exp() of the shifted values lies in [0, 1].
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    return shifted - shifted.exp().sum(dim=dim, keepdim=True).log()
