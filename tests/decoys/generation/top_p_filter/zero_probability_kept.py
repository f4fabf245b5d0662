"""Decoy for top_p_filter: keeps a token while the mass before it is below p, -inf logits included when p = 1.

caught_by: test_p_of_one_keeps_every_token_but_those_of_probability_zero
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    sorted_logits, order = torch.sort(logits, dim=-1, descending=True)
    probs = sorted_logits.softmax(dim=-1)
    keep_sorted = probs.cumsum(dim=-1) - probs < p  # MISTAKE: nothing drops a token of probability 0
    keep = keep_sorted.scatter(-1, order, keep_sorted)
    return logits.masked_fill(~keep, filter_value)
