"""Alternative: zero the gradients through the model (set_to_none), take the loss from the output
dict, and read it as a float with float()."""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def training_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> float:
    if batch.get("labels") is None:
        raise ValueError("no labels")
    model.train(True)
    model.zero_grad(set_to_none=True)
    outputs = model(**dict(batch))
    outputs["loss"].backward()
    optimizer.step()
    return float(outputs["loss"].detach())
