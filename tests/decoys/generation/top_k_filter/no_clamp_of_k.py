"""Decoy for top_k_filter: passes a k larger than the vocabulary to torch.topk, which refuses it.

caught_by: test_a_k_as_large_as_the_vocabulary_or_larger_keeps_every_logit
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]  # MISTAKE
    return logits.masked_fill(logits < kth_largest, filter_value)
