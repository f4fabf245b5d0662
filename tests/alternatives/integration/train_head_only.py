"""Alternative: the head found by name, outside base_model_prefix, and the optimizer built from the
named parameters."""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def train_head_only(
    model: PreTrainedModel,
    batch: Mapping[str, torch.Tensor],
    steps: int = 3,
    learning_rate: float = 1e-2,
) -> list[float]:
    if steps < 1 or not 0 < learning_rate < float("inf") or "labels" not in batch:
        raise ValueError(f"need steps >= 1, 0 < learning_rate < inf and labels, got {steps}, {learning_rate}")
    prefix = model.base_model_prefix + "."
    head = {}
    for name, parameter in model.named_parameters():
        in_head = not name.startswith(prefix)
        parameter.requires_grad = in_head
        if in_head:
            head[name] = parameter
    optimizer = torch.optim.AdamW(head.values(), lr=learning_rate)
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad(set_to_none=True)
        outputs = model(**batch)
        outputs.loss.backward()
        optimizer.step()
        losses.append(float(outputs.loss))
    return losses
