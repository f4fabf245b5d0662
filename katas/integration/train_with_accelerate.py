"""Kata: a training loop with Hugging Face Accelerate and gradient accumulation (miscellaneous seed
question 8).

Run the checks with:  pytest --katas train_with_accelerate
"""

from __future__ import annotations

import torch
from torch.utils.data import DataLoader
from transformers import PreTrainedModel


def train_with_accelerate(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    dataloader: DataLoader,
    gradient_accumulation_steps: int,
) -> list[float]:
    """Train ``model`` for one pass over ``dataloader`` with ``accelerate``, accumulating gradients.

    Make an ``accelerate.Accelerator`` with this ``gradient_accumulation_steps`` (it picks the
    device and the process setup: the CPU here, the same code on GPUs), let it prepare the model,
    optimizer and dataloader, and use what it returns. Put the model in training mode; for each
    batch, inside ``accelerator.accumulate(model)``: run the model on the batch (it has labels),
    backpropagate its loss with ``accelerator.backward``, step and clear the optimizer. Accelerate
    then updates the weights once every ``gradient_accumulation_steps`` batches, and after the last
    batch, from the sum of those batches' losses each divided by ``gradient_accumulation_steps``.

    Each call is independent: a call uses its own ``gradient_accumulation_steps``, whatever an
    earlier call (or another ``Accelerator`` in the process) used.

    Args:
        model: a model that returns a loss when given labels (the checks pass a sequence classifier
            and a causal language model); trained in place.
        optimizer: an optimizer of the model's parameters, with no gradients left in them.
        dataloader: yields dicts of tensors (``input_ids``, ``attention_mask``, ``labels``) in order.
        gradient_accumulation_steps: how many batches each update gathers; at least 1.

    Returns:
        Each batch's loss, as the model computed it (not divided), as Python floats, in order. The
        model is left in training mode.

    Raises:
        ValueError: if ``gradient_accumulation_steps`` is less than 1 (``Accelerator`` itself
            accepts 0 and negative numbers), before anything is changed.
    """
    # TODO: Accelerator(gradient_accumulation_steps=...), prepare, train mode, then per batch:
    # with accelerator.accumulate(model): loss, accelerator.backward(loss), step, zero_grad.
    raise NotImplementedError
