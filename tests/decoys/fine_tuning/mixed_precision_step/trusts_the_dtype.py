"""Decoy for mixed_precision_step: never checks the parameters' dtype, so a model already in bfloat16 is trained as if it were mixed precision.

caught_by: test_a_model_with_weights_other_than_float32_is_refused_before_any_change
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def mixed_precision_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> float:
    if "labels" not in batch:
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to train on")
    # MISTAKE: the parameters' dtype is not checked
    model.train()
    optimizer.zero_grad()
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    return loss.item()
