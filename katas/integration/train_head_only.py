"""Kata: transfer learning, training only the new head of a pretrained model (miscellaneous seed
question 9).

Run the checks with:  pytest --katas train_head_only
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def train_head_only(
    model: PreTrainedModel,
    batch: Mapping[str, torch.Tensor],
    steps: int = 3,
    learning_rate: float = 1e-2,
) -> list[float]:
    """Fine-tune only the head of a sequence classifier, its pretrained base model frozen.

    The base is ``model.base_model`` (BERT's encoder, Llama's decoder stack...); the head is every
    parameter outside it (``classifier``, ``score``...: the name depends on the architecture).
    Freeze the base (``requires_grad`` off for each of its parameters), make the head trainable
    (``requires_grad`` on, even if it was off), then train with ``torch.optim.AdamW`` over the
    head's parameters at ``learning_rate`` (its other settings at their defaults), the model in
    training mode, for ``steps`` steps on ``batch``: each step clears the gradients, runs the model
    on the batch with its labels, backpropagates the model's own loss and steps the optimizer.

    Args:
        model: a sequence classifier (the checks pass BERT and Llama ones); trained in place.
        batch: ``input_ids``, ``attention_mask`` and ``labels`` tensors, all passed to the model;
            not changed.
        steps: how many optimisation steps; at least 1.
        learning_rate: AdamW's learning rate; a finite number greater than 0.

    Returns:
        The loss of each step, before its update, as Python floats. The model is left in training
        mode, its base frozen and bit-for-bit unchanged, its head trainable.

    Raises:
        ValueError: if ``steps`` is less than 1, ``learning_rate`` is not a finite number greater
            than 0, or ``batch`` has no ``labels``; before anything is changed.
    """
    # TODO: validate; freeze model.base_model, unfreeze the rest; AdamW over the trainable
    # parameters; train mode; steps x (zero_grad, loss, backward, step).
    raise NotImplementedError
