"""Decoy for accumulate_gradients: pads each group's micro-batches into one batch and runs it at once, which gives the right step but holds the whole group in memory.

caught_by: test_each_step_equals_one_step_on_its_micro_batches_put_together
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
import torch.nn.functional as F
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
    model.train()
    model.activation_checkpointing_enable()
    optimizer.zero_grad()
    losses = []
    for start in range(0, len(micro_batches), accumulation_steps):
        group = micro_batches[start : start + accumulation_steps]
        width = max(batch["input_ids"].shape[1] for batch in group)
        fill = {"input_ids": 0, "attention_mask": 0, "labels": -100}
        together = {  # MISTAKE: the whole group in one forward pass
            key: torch.cat(
                [F.pad(batch[key], (0, width - batch[key].shape[1]), value=value) for batch in group]
            )
            for key, value in fill.items()
        }
        loss = model(**together, use_cache=False).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        losses.append(loss.item())
    return losses
