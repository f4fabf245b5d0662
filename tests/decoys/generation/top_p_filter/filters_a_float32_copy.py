"""Decoy for top_p_filter: filters a float32 copy of the logits and converts it back, which rounds float64 logits.

caught_by: test_logits_far_from_zero_give_the_nucleus_of_their_softmax
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    scores = logits.float()  # float32 is precise enough for a softmax
    sorted_scores, order = torch.sort(scores, dim=-1)
    cumulative = sorted_scores.softmax(dim=-1).cumsum(dim=-1)
    drop_sorted = cumulative <= 1 - p
    drop_sorted[..., -1] = False  # the most probable token stays
    drop = drop_sorted.scatter(-1, order, drop_sorted)
    return scores.masked_fill(drop, filter_value).to(logits.dtype)  # MISTAKE
