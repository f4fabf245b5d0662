"""Kata: one step of adversarial debiasing with gradient reversal (seed question 157).

Run the checks with:  pytest --katas adversarial_debias_step
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from transformers import PreTrainedModel


def adversarial_debias_step(
    model: PreTrainedModel,
    adversary: nn.Module,
    model_optimizer: torch.optim.Optimizer,
    adversary_optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    *,
    lambda_: float = 1.0,
) -> dict[str, float]:
    """Take one training step that learns the task while hiding the protected group.

    The representation is the encoder's final hidden state of the first token,
    ``model(**inputs, output_hidden_states=True).hidden_states[-1][:, 0]``. The adversary reads it
    through a gradient reversal layer (a ``torch.autograd.Function``: identity forward, gradient
    times ``-lambda_`` backward) and predicts ``batch["groups"]``. One step: clear both
    optimisers' gradients, compute ``task_loss`` (cross-entropy of the model's logits against
    ``batch["labels"]``) and ``adversary_loss`` (cross-entropy of the adversary's group logits),
    backpropagate their sum once, and step both optimisers. So the adversary descends its own
    loss, and the model descends ``task_loss - lambda_ * adversary_loss``; with ``lambda_=0`` the
    model's update is exactly a plain step on the task loss.

    Args:
        model: a sequence classifier (the checks pass a tiny BERT without dropout).
        adversary: a module from ``hidden_size`` features to one logit per group.
        model_optimizer: the optimiser of ``model``'s parameters.
        adversary_optimizer: the optimiser of ``adversary``'s parameters.
        batch: ``input_ids``, ``attention_mask`` (optional), ``labels`` and ``groups`` tensors;
            everything but ``labels`` and ``groups`` goes to the model.
        lambda_: how strongly the encoder is pushed to hide the group (0 turns it off).

    Returns:
        ``{"task_loss": float, "adversary_loss": float}``, the losses before the update.

    Raises:
        ValueError: if ``lambda_`` is negative, or ``batch`` lacks ``input_ids``, ``labels`` or
            ``groups`` (before anything is updated).
    """
    # TODO: write a gradient reversal layer, then one step that updates the model and the adversary.
    raise NotImplementedError
