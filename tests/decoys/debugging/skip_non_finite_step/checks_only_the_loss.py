"""Decoy for skip_non_finite_step: checks the loss only, so an infinite gradient with a finite loss is stepped.

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
    finite = bool(torch.isfinite(loss))  # MISTAKE: the gradients are not checked
    if finite:
        optimizer.step()
    else:
        # No step: the weights and Adam's state stay as they were; the bad gradients go.
        optimizer.zero_grad()
    return loss.item(), finite
