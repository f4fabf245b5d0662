"""Alternative: the gradient reversed by a tensor hook instead of an autograd.Function."""

from __future__ import annotations

from collections.abc import Mapping

import torch
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
    if lambda_ < 0:
        raise ValueError("lambda_ must not be negative")
    for key in ("input_ids", "labels", "groups"):
        if key not in batch:
            raise ValueError(f"batch has no {key!r}")
    model.train()
    adversary.train()
    for optimizer in (model_optimizer, adversary_optimizer):
        optimizer.zero_grad(set_to_none=True)

    outputs = model(
        input_ids=batch["input_ids"],
        attention_mask=batch.get("attention_mask"),
        labels=batch["labels"],
        output_hidden_states=True,
    )
    # A copy of the representation whose gradient is flipped and scaled on its way back.
    reversed_representation = outputs.hidden_states[-1][:, 0].clone()
    reversed_representation.register_hook(lambda grad: grad * -lambda_)
    adversary_loss = nn.functional.cross_entropy(adversary(reversed_representation), batch["groups"])
    (outputs.loss + adversary_loss).backward()
    for optimizer in (model_optimizer, adversary_optimizer):
        optimizer.step()
    return {"task_loss": float(outputs.loss), "adversary_loss": float(adversary_loss)}
