"""Decoy for top_p_filter: applies the mask, still in sorted order, to the logits in the vocabulary's order.

caught_by: test_the_same_logits_as_transformers_top_p_warper_keeps
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    sorted_logits, _ = torch.sort(logits, dim=-1)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    drop_sorted = cumulative <= 1 - p
    drop_sorted[..., -1] = False
    return logits.masked_fill(drop_sorted, filter_value)  # MISTAKE
