"""Alternative: the accumulation plugin, and the loop's steps gated by accelerator.sync_gradients."""

from __future__ import annotations

import torch
from accelerate import Accelerator
from accelerate.utils import GradientAccumulationPlugin
from torch.utils.data import DataLoader
from transformers import PreTrainedModel


def train_with_accelerate(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    dataloader: DataLoader,
    gradient_accumulation_steps: int,
) -> list[float]:
    if not gradient_accumulation_steps >= 1:
        raise ValueError("gradient_accumulation_steps must be a positive integer")
    plugin = GradientAccumulationPlugin(num_steps=gradient_accumulation_steps)
    accelerator = Accelerator(gradient_accumulation_plugin=plugin)
    prepared_model, prepared_optimizer, batches = accelerator.prepare(model, optimizer, dataloader)
    prepared_model.train()
    losses = []
    for batch in batches:
        with accelerator.accumulate(prepared_model):
            outputs = prepared_model(**batch)
            accelerator.backward(outputs.loss)
            if accelerator.sync_gradients:
                prepared_optimizer.step()
                prepared_optimizer.zero_grad()
        losses.append(float(outputs.loss.detach()))
    return losses
