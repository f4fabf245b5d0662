"""Decoy for top_k_filter: filters with <= instead of <, so the k-th largest itself goes.

caught_by: test_the_same_logits_as_transformers_top_k_warper_keeps
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, logits.shape[-1])
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits <= kth_largest, filter_value)  # MISTAKE
