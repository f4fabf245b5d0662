"""Decoy for training_step: sets model.training = True, which switches the model object but leaves its layers (and their dropout) in evaluation mode.

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
    model.training = True  # MISTAKE
    optimizer.zero_grad()  # backward() adds to .grad: clear what earlier steps left
    loss = model(**batch).loss  # given labels, the model computes its own loss
    loss.backward()
    optimizer.step()
    return loss.item()  # a float, detached from the graph
