"""Alternative: most probable first, in float64, keeping a token while the mass before it is below p."""

from __future__ import annotations

import math

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if math.isnan(p) or p <= 0 or p > 1:
        raise ValueError("p is a probability mass in (0, 1]")
    probs = torch.softmax(logits.double(), dim=1)
    ranked, order = probs.sort(dim=1, descending=True)
    mass_before = torch.cumsum(ranked, dim=1) - ranked
    keep_ranked = (mass_before < p) & (ranked > 0)
    keep_ranked[:, 0] = True
    keep = torch.zeros_like(keep_ranked)
    keep.scatter_(1, order, keep_ranked)
    return torch.where(keep, logits, torch.tensor(filter_value, dtype=logits.dtype))
