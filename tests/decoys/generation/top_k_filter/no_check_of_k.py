"""Decoy for top_k_filter: does not check k, so k=0 fails deep inside torch (or keeps everything).

caught_by: test_a_k_below_one_raises_value_error
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    k = min(max(k, 1), logits.shape[-1])  # MISTAKE
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]
    return logits.masked_fill(logits < kth_largest, filter_value)
