"""Decoy for top_p_filter: returns float32 logits whatever the dtype given.

caught_by: test_the_logits_dtype_is_kept_and_the_logits_left_unchanged
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    logits = logits.float()  # MISTAKE
    sorted_logits, order = torch.sort(logits, dim=-1)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    drop_sorted = cumulative <= 1 - p
    drop_sorted[..., -1] = False
    drop = drop_sorted.scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, filter_value)
