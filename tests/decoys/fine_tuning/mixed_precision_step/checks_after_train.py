"""Decoy for mixed_precision_step: checks the batch and the dtypes only after switching to training mode and clearing the gradients.

caught_by: test_a_batch_without_labels_is_refused_before_any_change
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
    model.train()
    optimizer.zero_grad()
    if "labels" not in batch:  # MISTAKE: too late
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to train on")
    not_float32 = {str(p.dtype) for p in model.parameters() if p.dtype != torch.float32}
    if not_float32:
        raise ValueError(f"mixed precision keeps float32 weights; this model has {sorted(not_float32)} ones")
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    return loss.item()
