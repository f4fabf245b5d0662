"""Decoy for skip_non_finite_step: passes input_ids and labels only, so a left-padded batch attends to its padding.

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
    loss = model(input_ids=batch["input_ids"], labels=batch["labels"]).loss  # MISTAKE
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
