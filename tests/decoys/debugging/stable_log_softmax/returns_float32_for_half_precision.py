"""Decoy for stable_log_softmax: computes in float32 for accuracy and forgets to turn the result back, so bfloat16 and float16 logits come back as float32.

caught_by: test_half_precision_logits_keep_their_dtype
"""

from __future__ import annotations

import torch


def stable_log_softmax(logits: torch.Tensor, dim: int = -1) -> torch.Tensor:
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point torch.Tensor")
    wide = logits if logits.dtype == torch.float64 else logits.float()  # MISTAKE: never cast back
    return wide - torch.logsumexp(wide, dim=dim, keepdim=True)
