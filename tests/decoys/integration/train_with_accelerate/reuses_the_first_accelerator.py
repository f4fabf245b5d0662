"""Decoy for train_with_accelerate: makes one Accelerator for the whole process, so later calls keep the first call's accumulation steps.

caught_by: test_each_call_uses_its_own_accumulation_steps
"""

from __future__ import annotations

import torch
from accelerate import Accelerator
from torch.utils.data import DataLoader
from transformers import PreTrainedModel

ACCELERATOR = None


def train_with_accelerate(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    dataloader: DataLoader,
    gradient_accumulation_steps: int,
) -> list[float]:
    if gradient_accumulation_steps < 1:
        raise ValueError(f"gradient_accumulation_steps must be at least 1, got {gradient_accumulation_steps}")
    global ACCELERATOR  # MISTAKE
    if ACCELERATOR is None:
        ACCELERATOR = Accelerator(gradient_accumulation_steps=gradient_accumulation_steps)
    accelerator = ACCELERATOR
    model, optimizer, dataloader = accelerator.prepare(model, optimizer, dataloader)
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
