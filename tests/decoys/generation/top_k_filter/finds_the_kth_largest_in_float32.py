"""Decoy for top_k_filter: compares the logits in float32 "to be safe with half precision", which merges float64 logits a last bit apart.

caught_by: test_logits_a_last_bit_apart_are_told_apart
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, logits.shape[-1])
    scores = logits.float()  # MISTAKE
    kth_largest = torch.topk(scores, k, dim=-1).values[..., -1:]
    return logits.masked_fill(scores < kth_largest, filter_value)
