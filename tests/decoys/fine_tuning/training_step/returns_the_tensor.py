"""Decoy for training_step: returns the loss tensor, which keeps the graph alive, instead of a float.

caught_by: test_one_step_updates_the_model_as_written_out_and_returns_the_loss
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
    if "labels" not in batch:
        raise ValueError(f"batch has no 'labels' (it has {sorted(batch)}): there is no loss to train on")
    model.train()  # dropout on: from_pretrained leaves a model in evaluation mode
    optimizer.zero_grad()  # backward() adds to .grad: clear what earlier steps left
    loss = model(**batch).loss  # given labels, the model computes its own loss
    loss.backward()
    optimizer.step()
    return loss  # MISTAKE: a tensor
