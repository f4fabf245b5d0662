"""Decoy for skip_non_finite_step: does not check for labels, so the model returns no loss and the code fails on None.

caught_by: test_a_batch_without_labels_is_refused_before_any_change
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
    model.train()  # MISTAKE: no check for labels
    optimizer.zero_grad()
    loss = model(**batch).loss
    loss.backward()
    finite = bool(torch.isfinite(loss)) and all(
        bool(torch.isfinite(parameter.grad).all())
        for parameter in model.parameters()
        if parameter.grad is not None  # a frozen or unused parameter has no gradient
    )
    if finite:
        optimizer.step()
    else:
        # No step: the weights and Adam's state stay as they were; the bad gradients go.
        optimizer.zero_grad()
    return loss.item(), finite
