"""Decoy for train_with_accelerate: never enters accelerator.accumulate(model), so the optimizer steps after every batch.

caught_by: test_the_weights_are_those_of_gradient_accumulation_written_out
"""

from __future__ import annotations

import torch
from accelerate import Accelerator
from torch.utils.data import DataLoader
from transformers import PreTrainedModel


def train_with_accelerate(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    dataloader: DataLoader,
    gradient_accumulation_steps: int,
) -> list[float]:
    if gradient_accumulation_steps < 1:
        raise ValueError(f"gradient_accumulation_steps must be at least 1, got {gradient_accumulation_steps}")
    accelerator = Accelerator(gradient_accumulation_steps=gradient_accumulation_steps)
    model, optimizer, dataloader = accelerator.prepare(model, optimizer, dataloader)
    model.train()
    losses = []
    for batch in dataloader:
        loss = model(**batch).loss  # MISTAKE
        accelerator.backward(loss)
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.detach().item())
    return losses
