"""Decoy for top_p_filter: checks p with p <= 0 or p > 1, which NaN passes.

caught_by: test_a_p_outside_zero_to_one_raises_value_error
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if p <= 0 or p > 1:  # MISTAKE
        raise ValueError(f"p must be in (0, 1], got {p}")
    sorted_logits, order = torch.sort(logits, dim=-1)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    drop_sorted = cumulative <= 1 - p
    drop_sorted[..., -1] = False
    drop = drop_sorted.scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, filter_value)
