"""Decoy for top_k_filter: keeps exactly k logits per row (topk indices scattered), dropping ties with the k-th largest.

caught_by: test_every_logit_tied_with_the_kth_largest_is_kept
"""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, logits.shape[-1])
    top = torch.topk(logits, k, dim=-1)
    out = torch.full_like(logits, filter_value)
    return out.scatter(-1, top.indices, top.values)  # MISTAKE
