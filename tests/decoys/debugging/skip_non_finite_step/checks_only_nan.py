"""Decoy for skip_non_finite_step: checks for NaN only (loss != loss), so an infinite loss is stepped.

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
    finite = not bool(torch.isnan(loss)) and all(  # MISTAKE: inf is not NaN
        not bool(torch.isnan(parameter.grad).any())
        for parameter in model.parameters()
        if parameter.grad is not None
    )
    if finite:
        optimizer.step()
    else:
        # No step: the weights and Adam's state stay as they were; the bad gradients go.
        optimizer.zero_grad()
    return loss.item(), finite
