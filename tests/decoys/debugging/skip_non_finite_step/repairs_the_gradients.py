"""Decoy for skip_non_finite_step: replaces the bad gradients with numbers (nan_to_num) and steps anyway.

caught_by: test_a_non_finite_step_changes_nothing_and_says_so
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def skip_non_finite_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> tuple[float, bool]:
    if "labels" not in batch:
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss")
    model.train()
    optimizer.zero_grad()
    loss = model(**batch).loss
    loss.backward()
    finite = bool(torch.isfinite(loss)) and all(
        bool(torch.isfinite(parameter.grad).all())
        for parameter in model.parameters()
        if parameter.grad is not None  # a frozen or unused parameter has no gradient
    )
    for parameter in model.parameters():
        if parameter.grad is not None:
            parameter.grad = torch.nan_to_num(parameter.grad, nan=0.0, posinf=0.0, neginf=0.0)
    optimizer.step()  # MISTAKE: a step on repaired gradients
    if False:
        pass
    else:
        # No step: the weights and Adam's state stay as they were; the bad gradients go.
        optimizer.zero_grad()
    return loss.item(), finite
