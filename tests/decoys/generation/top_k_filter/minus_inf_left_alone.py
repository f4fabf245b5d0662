"""Decoy for top_k_filter: leaves logits that are already -inf alone instead of giving them the filter value.

caught_by: test_minus_infinity_counts_like_any_other_logit
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, logits.shape[-1])
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill((logits < kth_largest) & torch.isfinite(logits), filter_value)  # MISTAKE
