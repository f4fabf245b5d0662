"""Alternative: a while loop over the recorded losses, the trainable parameters flattened into one
vector to see whether the first update moved anything, range checks written as chained comparisons."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import torch
from torch.nn.utils import parameters_to_vector
from transformers import PreTrainedModel

Reason = Literal["converged", "max_steps", "frozen", "no_update", "not_finite"]


@dataclass(frozen=True)
class OverfitResult:
    reason: Reason
    losses: list[float]

    @property
    def converged(self) -> bool:
        return self.reason == "converged"


def overfit_one_batch(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    *,
    threshold: float,
    max_steps: int = 100,
) -> OverfitResult:
    if type(max_steps) is not int or max_steps <= 0:
        raise ValueError("max_steps must be a positive int")
    if not 0 < threshold < math.inf:  # False for NaN too
        raise ValueError("threshold must be a finite positive number")
    if batch.get("labels") is None:
        raise ValueError("the batch needs labels")
    trainable = [p for group in optimizer.param_groups for p in group["params"] if p.requires_grad]
    if not trainable:
        return OverfitResult("frozen", [])
    start = parameters_to_vector(trainable).detach().clone()
    model.train()
    losses: list[float] = []
    while len(losses) < max_steps:
        optimizer.zero_grad(set_to_none=True)
        model.zero_grad(set_to_none=True)
        loss = model(**batch).loss
        value = float(loss.detach())
        losses.append(value)
        if math.isnan(value) or math.isinf(value):
            return OverfitResult("not_finite", losses)
        if value < threshold:
            return OverfitResult("converged", losses)
        loss.backward()
        optimizer.step()
        if len(losses) == 1 and torch.equal(parameters_to_vector(trainable).detach(), start):
            return OverfitResult("no_update", losses)
    return OverfitResult("max_steps", losses)
