"""Alternative: magnitude pruning by hand: torch.topk finds the smallest weights, which are zeroed
in place (no torch.nn.utils.prune, so nothing to remove afterwards)."""

from __future__ import annotations

from typing import Literal

import torch
from torch import nn
from transformers import PreTrainedModel
from transformers.pytorch_utils import Conv1D


def _zero_smallest(weights: list[torch.Tensor], amount: float) -> None:
    flat = torch.cat([w.detach().abs().flatten() for w in weights])
    count = round(amount * flat.numel())
    if count == 0:
        return
    mask = torch.ones_like(flat)
    mask[torch.topk(flat, count, largest=False).indices] = 0
    offset = 0
    with torch.no_grad():
        for w in weights:
            w.mul_(mask[offset : offset + w.numel()].view_as(w))
            offset += w.numel()


def prune_model(
    model: PreTrainedModel,
    amount: float = 0.5,
    *,
    scope: Literal["layer", "global"] = "layer",
) -> PreTrainedModel:
    if type(amount) is not float or amount < 0.0 or amount > 1.0:
        raise ValueError("amount must be a float fraction in [0, 1]")
    if scope not in {"layer", "global"}:
        raise ValueError(f"unknown scope {scope!r}")
    output_head = model.get_output_embeddings()
    weights = [
        m.weight for m in model.modules() if isinstance(m, (nn.Linear, Conv1D)) and m is not output_head
    ]
    if scope == "global":
        _zero_smallest(weights, amount)
    else:
        for weight in weights:
            _zero_smallest([weight], amount)
    return model
