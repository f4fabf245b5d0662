"""Decoy for top_k_filter: converts the logits to float32, losing a half-precision dtype.

caught_by: test_the_logits_dtype_is_kept_and_the_logits_left_unchanged
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    logits = logits.float()  # MISTAKE
    k = min(k, logits.shape[-1])
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth_largest, filter_value)
