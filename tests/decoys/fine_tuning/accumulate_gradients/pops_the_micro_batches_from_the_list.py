"""Decoy for accumulate_gradients: takes each group by popping it from the caller's list, which leaves the list empty.

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
    while micro_batches:
        count = min(accumulation_steps, len(micro_batches))
        group = [micro_batches.pop(0) for _ in range(count)]  # MISTAKE: the caller's list emptied
        # The loss of the whole group is (sum of its token losses) / (its predicted tokens): the
        # model's loss divides by num_items_in_batch instead of its own count when given one.
        tokens = sum(int((batch["labels"][:, 1:] != -100).sum()) for batch in group)
        group_loss = 0.0
        for batch in group:
            loss = model(**batch, use_cache=False, num_items_in_batch=tokens).loss
            loss.backward()  # gradients add up in .grad
            group_loss += loss.item()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(group_loss)
    return losses
