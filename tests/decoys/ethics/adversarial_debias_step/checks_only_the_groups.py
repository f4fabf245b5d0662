"""Decoy for adversarial_debias_step: checks that the batch has groups, but not labels or input_ids, which then fail deep inside with a KeyError or a model error.

caught_by: test_bad_arguments_raise_value_error
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
    missing = [key for key in ("groups",) if key not in batch]  # MISTAKE: labels and input_ids too
    if missing:
        raise ValueError(f"batch lacks {missing}; it needs input_ids, labels and groups")

    model.train()
    adversary.train()
    model_optimizer.zero_grad()
    adversary_optimizer.zero_grad()

    inputs = {key: value for key, value in batch.items() if key not in ("labels", "groups")}
    outputs = model(**inputs, output_hidden_states=True)
    task_loss = F.cross_entropy(outputs.logits, batch["labels"])
    # The encoder's representation of the sequence: the final hidden state of its first token.
    representation = outputs.hidden_states[-1][:, 0]
    # Through the reversal layer the adversary sees the representation as it is and learns to
    # predict the group; the encoder receives -lambda times the adversary's gradient, so it
    # learns to make the group harder to predict. One loss, one backward, both minimised.
    group_logits = adversary(GradientReversal.apply(representation, lambda_))
    adversary_loss = F.cross_entropy(group_logits, batch["groups"])
    (task_loss + adversary_loss).backward()

    model_optimizer.step()
    adversary_optimizer.step()
    return {"task_loss": task_loss.item(), "adversary_loss": adversary_loss.item()}
