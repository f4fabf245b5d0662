"""Decoy for mixed_precision_step: pops the labels out of the caller's batch and puts them back after the forward pass, which a read-only batch does not allow.

caught_by: test_one_step_runs_the_forward_in_bfloat16_and_updates_the_float32_weights
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
    if any(p.dtype != torch.float32 for p in model.parameters()):
        raise ValueError("mixed precision keeps float32 weights")
    model.train()
    optimizer.zero_grad()
    labels = batch.pop("labels")  # MISTAKE: changes the caller's batch, if only for a while
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = model(**batch, labels=labels).loss
    batch["labels"] = labels
    loss.backward()
    optimizer.step()
    return loss.item()
