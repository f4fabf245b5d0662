"""Kata: one training step, written out (seed question 40).

Run the checks with:  pytest --katas training_step
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def training_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> float:
    """Take one optimisation step of ``model`` on ``batch``, by hand (no Trainer).

    Put the model in training mode, clear the gradients left by earlier steps, run the model on
    the batch with its labels (a transformers model then returns its own loss), backpropagate
    that loss, and step the optimizer.

    Args:
        model: a model that returns a loss when it is given labels (the checks pass a causal
            language model and a sequence classifier); trained in place.
        optimizer: the optimizer of the model's parameters; its gradients may hold what an
            earlier step left there.
        batch: ``input_ids``, ``labels`` and maybe ``attention_mask`` tensors, all passed to the
            model; the batch itself is not changed.

    Returns:
        The loss of this batch before the update, as a Python ``float``. The model is left in
        training mode.

    Raises:
        ValueError: if ``batch`` has no ``labels`` (there would be no loss), before anything is
            changed.
    """
    # TODO: train mode, zero_grad, forward with labels, backward, step, return the loss as a float.
    raise NotImplementedError
