"""Decoy for mixed_precision_step: casts the model to bfloat16 for the step and back to float32 after it: the forward pass and the update ran on 16-bit weights.

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
    not_float32 = {str(p.dtype) for p in model.parameters() if p.dtype != torch.float32}
    if not_float32:
        raise ValueError(f"mixed precision keeps float32 weights; this model has {sorted(not_float32)} ones")
    model.train()
    optimizer.zero_grad()
    model.to(torch.bfloat16)  # MISTAKE
    loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    model.to(torch.float32)
    return loss.item()
