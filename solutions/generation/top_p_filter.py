"""Reference solution: top_p_filter (seed question 64)."""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if not 0.0 < p <= 1.0:  # written this way round, NaN fails it too
        raise ValueError(f"p must be in (0, 1], got {p}")
    # As TopPLogitsWarper does: least probable first, and drop every token whose probability,
    # with all the less probable ones, adds up to 1 - p or less: what is left reaches p.
    sorted_logits, order = torch.sort(logits, dim=-1)
    cumulative = sorted_logits.softmax(dim=-1).cumsum(dim=-1)
    drop_sorted = cumulative <= 1 - p
    drop_sorted[..., -1] = False  # the most probable token stays, whatever the rounding
    # Back from sorted order to the vocabulary's order: position order[i] gets drop_sorted[i].
    drop = drop_sorted.scatter(-1, order, drop_sorted)
    return logits.masked_fill(drop, filter_value)
