"""Decoy for overfit_one_batch: reports no_update when any trainable parameter is unchanged, not every one.

caught_by: test_an_update_of_some_trainable_parameters_is_an_update
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import torch
from transformers import PreTrainedModel

Reason = Literal["converged", "max_steps", "frozen", "no_update", "not_finite"]


@dataclass(frozen=True)
class OverfitResult:
    """What the overfit test found (given: return one of these)."""

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
    if not isinstance(max_steps, int) or max_steps < 1:
        raise ValueError(f"max_steps must be an int >= 1, got {max_steps!r}")
    if not (math.isfinite(threshold) and threshold > 0):
        raise ValueError(f"threshold must be a finite number > 0, got {threshold!r}")
    if "labels" not in batch:
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to overfit")
    # What the optimizer can change: a parameter that gets no gradient never moves.
    trainable = [p for group in optimizer.param_groups for p in group["params"] if p.requires_grad]
    if not trainable:
        return OverfitResult("frozen", [])
    before = [p.detach().clone() for p in trainable]
    model.train()
    losses: list[float] = []
    for _ in range(max_steps):
        optimizer.zero_grad()
        loss = model(**batch).loss
        losses.append(loss.item())
        if not math.isfinite(losses[-1]):
            return OverfitResult("not_finite", losses)
        if losses[-1] < threshold:
            return OverfitResult("converged", losses)
        loss.backward()
        optimizer.step()
        if len(losses) == 1 and any(
            torch.equal(p, b) for p, b in zip(trainable, before, strict=True)
        ):  # MISTAKE
            return OverfitResult("no_update", losses)  # e.g. lr 0: the loop would only spin
    return OverfitResult("max_steps", losses)
