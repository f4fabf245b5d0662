"""Decoy for training_step: pops the labels out of the caller's batch to compute the loss by hand.

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
    labels = batch.pop("labels")  # MISTAKE: the caller's batch
    loss = model(**batch, labels=labels).loss
    loss.backward()
    optimizer.step()
    return loss.item()  # a float, detached from the graph
