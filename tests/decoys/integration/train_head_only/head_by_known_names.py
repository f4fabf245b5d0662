"""Decoy for train_head_only: finds the head by the names it knows, BERT's classifier and Llama's score, so DistilBERT's pre_classifier stays frozen.

caught_by: test_only_the_head_learns_and_the_base_stays_frozen_and_identical
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def train_head_only(
    model: PreTrainedModel,
    batch: Mapping[str, torch.Tensor],
    steps: int = 3,
    learning_rate: float = 1e-2,
) -> list[float]:
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    if not (learning_rate > 0 and math.isfinite(learning_rate)):
        raise ValueError(f"learning_rate must be a positive number, got {learning_rate}")
    if "labels" not in batch:
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to train on")
    for name, parameter in model.named_parameters():
        parameter.requires_grad = name.split(".")[0] in ("classifier", "score")  # MISTAKE
    head = [parameter for parameter in model.parameters() if parameter.requires_grad]
    optimizer = torch.optim.AdamW(head, lr=learning_rate)
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = model(**batch).loss
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
