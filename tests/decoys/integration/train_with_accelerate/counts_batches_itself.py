"""Decoy for train_with_accelerate: makes a plain Accelerator and counts the batches itself, dividing the loss and stepping by hand instead of using accelerator.accumulate.

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
    accelerator = Accelerator()  # MISTAKE
    model, optimizer, dataloader = accelerator.prepare(model, optimizer, dataloader)
    model.train()
    losses = []
    for index, batch in enumerate(dataloader):
        loss = model(**batch).loss
        accelerator.backward(loss / gradient_accumulation_steps)
        if (index + 1) % gradient_accumulation_steps == 0 or index + 1 == len(dataloader):
            optimizer.step()
            optimizer.zero_grad()
        losses.append(loss.detach().item())
    return losses
