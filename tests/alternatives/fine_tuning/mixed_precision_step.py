"""Alternative: torch.amp.autocast with the CPU's default 16-bit type (bfloat16), the whole step
inside the block, gradients cleared through the model, and a GradScaler that does no harm."""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def mixed_precision_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> float:
    if batch.get("labels") is None:
        raise ValueError("no labels")
    if any(parameter.dtype is not torch.float32 for parameter in model.parameters()):
        raise ValueError("the weights must be float32")
    model.train(True)
    model.zero_grad(set_to_none=True)
    scaler = torch.amp.GradScaler("cpu")
    with torch.amp.autocast("cpu"):
        outputs = model(**dict(batch))
        scaler.scale(outputs["loss"]).backward()
        scaler.step(optimizer)
    scaler.update()
    return float(outputs["loss"].detach())
