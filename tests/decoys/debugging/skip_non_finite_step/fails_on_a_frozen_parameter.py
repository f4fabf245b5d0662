"""Decoy for skip_non_finite_step: checks every parameter's .grad, so a frozen parameter (grad None) makes it fail.

caught_by: test_a_batch_as_the_contract_allows_with_a_frozen_parameter
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
        for parameter in model.parameters()  # MISTAKE: a frozen parameter has grad None
    )
    if finite:
        optimizer.step()
    else:
        # No step: the weights and Adam's state stay as they were; the bad gradients go.
        optimizer.zero_grad()
    return loss.item(), finite
