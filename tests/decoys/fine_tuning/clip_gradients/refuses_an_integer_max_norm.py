"""Decoy for clip_gradients: it refuses an int max_norm such as 1, which is a valid positive norm.

caught_by: test_an_integer_max_norm_is_accepted
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
    if not isinstance(max_norm, float) or not max_norm > 0:  # MISTAKE: an int is a valid max_norm
        raise ValueError(f"max_norm must be positive, got {max_norm}")
    if "labels" not in batch:
        raise ValueError("the batch has no 'labels': the model would return no loss to clip the gradients of")
    model.train()
    optimizer.zero_grad()  # gradients accumulate: clear the previous step's
    loss = model(**batch).loss
    loss.backward()
    # One norm over all the gradients together, then one scale factor for all of them: the
    # update keeps its direction. clip_grad_norm_ skips parameters whose .grad is None and
    # returns the norm from *before* clipping, which is what is worth logging.
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=max_norm)
    optimizer.step()  # after clipping, or the clipping changes nothing
    return norm.item()
