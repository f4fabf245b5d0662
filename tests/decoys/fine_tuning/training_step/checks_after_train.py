"""Decoy for training_step: checks for labels only after switching to training mode and clearing the gradients.

caught_by: test_a_batch_without_labels_is_refused_before_any_change
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def training_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> float:
    model.train()
    optimizer.zero_grad()
    if "labels" not in batch:  # MISTAKE: too late, the model and gradients changed
        raise ValueError("batch has no labels")
    loss = model(**batch).loss  # given labels, the model computes its own loss
    loss.backward()
    optimizer.step()
    return loss.item()  # a float, detached from the graph
