"""Reference solution: top_k_filter (seed question 62)."""

from __future__ import annotations

import torch


def top_k_filter(logits: torch.Tensor, k: int, *, filter_value: float = float("-inf")) -> torch.Tensor:
    if k < 1:
        raise ValueError(f"k must be at least 1, got {k}")
    k = min(k, logits.shape[-1])  # a k beyond the vocabulary keeps everything
    # The k-th largest of each row, kept as a column so that it broadcasts over the row.
    kth_largest = torch.topk(logits, k, dim=-1).values[..., -1:]
    # Strictly smaller: logits tied with the k-th largest stay, as in TopKLogitsWarper.
    # masked_fill returns a new tensor of the same dtype; the caller's logits are untouched.
    return logits.masked_fill(logits < kth_largest, filter_value)
