"""Kata: a training step that refuses NaN and infinity (seed question 96).

Run the checks with:  pytest --katas skip_non_finite_step
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def skip_non_finite_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> tuple[float, bool]:
    """Take one training step on ``batch``, unless the loss or a gradient is not finite.

    A single NaN or infinite gradient, once stepped, turns weights into NaN for good. So: put
    the model in training mode, clear old gradients, compute the model's own loss on the batch
    (it has labels) and backpropagate it; then step the optimizer only if the loss and every
    parameter's gradient are finite (a frozen parameter has no gradient: its ``.grad`` is
    ``None``). A skipped step leaves the weights and the optimizer's state (Adam's moments and
    step count) exactly as they were, and clears the gradients it made, so that the next batch
    starts clean.

    Args:
        model: a model that returns a loss when given labels.
        optimizer: its optimizer.
        batch: ``input_ids``, ``labels`` and maybe ``attention_mask``; left unchanged.

    Returns:
        ``(loss, stepped)``: the loss as a Python ``float`` (NaN or infinite when it was), and
        whether the optimizer stepped.

    Raises:
        ValueError: if ``batch`` has no ``labels``, before anything is changed.
    """
    # TODO: train mode, zero_grad, loss, backward; step only if everything is finite.
    raise NotImplementedError
