"""Decoy for train_with_accelerate: loops over the original dataloader, so Accelerate never learns that the last batch came and skips the last update.

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
    model, optimizer = accelerator.prepare(model, optimizer)  # MISTAKE
    model.train()
    losses = []
    for batch in dataloader:
        with accelerator.accumulate(model):  # syncs and steps every n batches, and at the end
            loss = model(**batch).loss
            accelerator.backward(loss)  # divides the loss by gradient_accumulation_steps
            optimizer.step()  # the prepared optimizer skips the steps in between
            optimizer.zero_grad()
        losses.append(loss.detach().item())
    return losses
