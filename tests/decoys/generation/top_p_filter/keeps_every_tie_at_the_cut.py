"""Decoy for top_p_filter: keeps every logit equal to the last one of the nucleus, so ties at the cut all stay.

caught_by: test_reaching_p_exactly_is_enough
"""

from __future__ import annotations

import torch


def top_p_filter(logits: torch.Tensor, p: float, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if not 0.0 < p <= 1.0:
        raise ValueError(f"p must be in (0, 1], got {p}")
    ranked = torch.sort(logits, dim=-1, descending=True).values
    probs = ranked.softmax(dim=-1)
    sizes = ((probs.cumsum(dim=-1) - probs) < p).sum(dim=-1, keepdim=True)
    last_kept = ranked.gather(-1, sizes - 1)
    return logits.masked_fill(logits < last_kept, filter_value)  # MISTAKE
