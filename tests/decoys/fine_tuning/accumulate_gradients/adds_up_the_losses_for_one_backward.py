"""Decoy for accumulate_gradients: adds the group's micro-batch losses up and calls backward() once on the sum, which keeps every micro-batch's activations in memory until then.

caught_by: test_each_step_equals_one_step_on_its_micro_batches_put_together
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedModel


def accumulate_gradients(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    micro_batches: Sequence[Mapping[str, torch.Tensor]],
    accumulation_steps: int,
) -> list[float]:
    if accumulation_steps < 1:
        raise ValueError(f"accumulation_steps must be at least 1, got {accumulation_steps}")
    if not micro_batches:
        raise ValueError("there are no micro-batches to train on")
    model.train()  # checkpointing only acts in training mode
    model.activation_checkpointing_enable()  # the older gradient_checkpointing_enable() is deprecated
    optimizer.zero_grad()  # what an earlier step left must not leak into the first one
    losses = []
    for start in range(0, len(micro_batches), accumulation_steps):
        group = micro_batches[start : start + accumulation_steps]
        # The loss of the whole group is (sum of its token losses) / (its predicted tokens): the
        # model's loss divides by num_items_in_batch instead of its own count when given one.
        tokens = sum(int((batch["labels"][:, 1:] != -100).sum()) for batch in group)
        total = 0
        for batch in group:
            total = total + model(**batch, use_cache=False, num_items_in_batch=tokens).loss
        total.backward()  # MISTAKE: one backward after all the group's forward passes
        group_loss = total.item()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(group_loss)
    return losses
