"""Kata: implement gradient clipping (seed question 49).

Run the checks with:  pytest --katas clip_gradients
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
    """Take one training step whose gradients are clipped to a maximum global norm.

    This is what the Trainer does at every step with ``TrainingArguments(max_grad_norm=...)``
    (it logs the norm before clipping as ``grad_norm``). Here the step is written out.

    Args:
        model: the model to train (the checks pass a tiny GPT-2, some of it perhaps frozen).
        batch: the model's inputs, ``labels`` included, so that ``model(**batch).loss`` is the loss.
        optimizer: the optimizer of the model's trainable parameters.
        max_norm: the largest global L2 norm the gradients may have when the optimizer steps.

    Returns:
        The global L2 norm of this batch's gradients *before* clipping, as a Python float: the
        norm of all gradients taken together, sqrt(Σ over every element of every gradient of
        g²), which is not the sum of each parameter's norm. If it exceeds ``max_norm``, every
        gradient is scaled by the same factor (``max_norm / norm``), so their direction is kept,
        before the optimizer steps. Gradients left over from earlier steps must not leak into
        this one; parameters without a gradient (frozen ones) are skipped.

    Raises:
        ValueError: if ``max_norm`` is not positive, or ``batch`` has no ``"labels"`` (the
            model would return no loss).
    """
    # TODO: clear old gradients, forward, backward, clip all gradients together, step.
    raise NotImplementedError
