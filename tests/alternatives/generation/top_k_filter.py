"""Alternative: the threshold from a descending sort, and torch.where to build the result."""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k <= 0:
        raise ValueError("k must be a positive number of logits to keep")
    vocab = logits.size(1)
    if k >= vocab:
        return logits.clone()
    threshold = logits.sort(dim=1, descending=True).values[:, k - 1].unsqueeze(1)
    filler = torch.full_like(logits, filter_value)
    return torch.where(logits >= threshold, logits, filler)
