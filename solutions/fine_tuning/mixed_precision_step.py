"""Reference solution: mixed_precision_step (seed question 48)."""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def mixed_precision_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> float:
    if "labels" not in batch:
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to train on")
    not_float32 = {str(p.dtype) for p in model.parameters() if p.dtype != torch.float32}
    if not_float32:
        raise ValueError(f"mixed precision keeps float32 weights; this model has {sorted(not_float32)} ones")
    model.train()
    optimizer.zero_grad()
    # Autocast runs the matrix products in bfloat16 and keeps precision-sensitive ops (softmax,
    # the loss) in float32; the parameters themselves stay float32.
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = model(**batch).loss
    loss.backward()  # outside autocast: the backward ops follow the forward's dtypes anyway
    optimizer.step()  # updates the float32 weights
    return loss.item()
