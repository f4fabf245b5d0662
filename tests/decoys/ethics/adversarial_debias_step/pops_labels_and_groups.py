"""Decoy for adversarial_debias_step: pops labels and groups out of the caller's batch to call the model with the rest, so the batch comes back without them.

caught_by: test_with_lambda_zero_the_model_takes_a_plain_task_step
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn
from transformers import PreTrainedModel


class GradientReversal(torch.autograd.Function):
    """Identity on the way forward; multiplies the gradient by -lambda on the way back."""

    @staticmethod
    def forward(ctx: Any, x: torch.Tensor, lambda_: float) -> torch.Tensor:
        ctx.lambda_ = lambda_
        return x.view_as(x)

    @staticmethod
    def backward(ctx: Any, grad_output: torch.Tensor) -> tuple[torch.Tensor, None]:
        # One gradient per input of forward: none for lambda_, a plain number.
        return -ctx.lambda_ * grad_output, None


def adversarial_debias_step(
    model: PreTrainedModel,
    adversary: nn.Module,
    model_optimizer: torch.optim.Optimizer,
    adversary_optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    *,
    lambda_: float = 1.0,
) -> dict[str, float]:
    if lambda_ < 0:
        raise ValueError(f"lambda_ must be >= 0 (0 turns the debiasing off), got {lambda_}")
    missing = [key for key in ("input_ids", "labels", "groups") if key not in batch]
    if missing:
        raise ValueError(f"batch lacks {missing}; it needs input_ids, labels and groups")

    model.train()
    adversary.train()
    model_optimizer.zero_grad()
    adversary_optimizer.zero_grad()

    labels, groups = batch.pop("labels"), batch.pop("groups")  # MISTAKE: the caller's batch
    outputs = model(**batch, output_hidden_states=True)
    task_loss = F.cross_entropy(outputs.logits, labels)
    # The encoder's representation of the sequence: the final hidden state of its first token.
    representation = outputs.hidden_states[-1][:, 0]
    # Through the reversal layer the adversary sees the representation as it is and learns to
    # predict the group; the encoder receives -lambda times the adversary's gradient, so it
    # learns to make the group harder to predict. One loss, one backward, both minimised.
    group_logits = adversary(GradientReversal.apply(representation, lambda_))
    adversary_loss = F.cross_entropy(group_logits, groups)
    (task_loss + adversary_loss).backward()

    model_optimizer.step()
    adversary_optimizer.step()
    return {"task_loss": task_loss.item(), "adversary_loss": adversary_loss.item()}
