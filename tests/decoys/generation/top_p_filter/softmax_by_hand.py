"""Decoy for top_p_filter: works out the probabilities as exp(logits) / sum(exp(logits)), which overflows or underflows for logits far from 0.

caught_by: test_logits_far_from_zero_give_the_nucleus_of_their_softmax
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    exp = logits.exp()
    probs = exp / exp.sum(dim=-1, keepdim=True)  # MISTAKE
    ranked, order = probs.sort(dim=-1, descending=True)
    mass_before = ranked.cumsum(dim=-1) - ranked
    keep_ranked = (mass_before < p) & (ranked > 0)
    keep_ranked[:, 0] = True  # the most probable token stays
    keep = torch.zeros_like(keep_ranked).scatter(-1, order, keep_ranked)
    return logits.masked_fill(~keep, filter_value)
