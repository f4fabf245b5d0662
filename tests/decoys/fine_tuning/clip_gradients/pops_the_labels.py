"""Decoy for clip_gradients: it pops the labels out of the caller's batch, so the batch is changed by the call.

caught_by: test_small_gradients_are_left_as_they_are
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def clip_gradients(
    model: PreTrainedModel,
    batch: Mapping[str, torch.Tensor],
    optimizer: torch.optim.Optimizer,
    max_norm: float,
) -> float:
    if not max_norm > 0:
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    if "labels" not in batch:
        raise ValueError("the batch has no 'labels': the model would return no loss to clip the gradients of")
    model.train()
    optimizer.zero_grad()  # gradients accumulate: clear the previous step's
    labels = batch.pop("labels")  # MISTAKE: changes the caller's batch
    loss = model(**batch, labels=labels).loss
    loss.backward()
    # One norm over all the gradients together, then one scale factor for all of them: the
    # update keeps its direction. clip_grad_norm_ skips parameters whose .grad is None and
    # returns the norm from *before* clipping, which is what is worth logging.
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
    optimizer.step()  # after clipping, or the clipping changes nothing
    return norm.item()
