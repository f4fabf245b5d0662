"""Alternative: one check over every gradient at once, through the total gradient norm (inf or NaN
when any gradient is), measured without clipping."""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def skip_non_finite_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> tuple[float, bool]:
    if batch.get("labels") is None:
        raise ValueError("no labels")
    model.train()
    model.zero_grad(set_to_none=True)
    loss = model(**batch).loss
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=math.inf)
    value = float(loss.detach())
    if math.isfinite(value) and math.isfinite(float(norm)):
        optimizer.step()
        return value, True
    model.zero_grad(set_to_none=True)
    return value, False
