"""Decoy for dp_sgd_step: pops the labels out of the caller's batch to pass the rest to the model.

caught_by: test_without_noise_the_step_matches_a_loop_over_clipped_examples
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch.func import functional_call, grad, vmap
from transformers import PreTrainedModel


def dp_sgd_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    *,
    max_grad_norm: float,
    noise_multiplier: float,
    generator: torch.Generator,
) -> torch.Tensor:
    if not max_grad_norm > 0 or not noise_multiplier >= 0:
        raise ValueError("bad max_grad_norm or noise_multiplier")
    if "labels" not in batch or len(batch["labels"]) == 0:
        raise ValueError("the batch needs labels and at least one example")
    labels = batch.pop("labels")  # MISTAKE
    params = {name: p.detach() for name, p in model.named_parameters() if p.requires_grad}

    def loss_of_one(params, inputs, label):
        inputs = {key: value[None] for key, value in inputs.items()}
        return functional_call(model, params, (), {**inputs, "labels": label[None]}).loss

    mode = model.training
    model.eval()
    grads = vmap(grad(loss_of_one), in_dims=(None, 0, 0))(params, dict(batch), labels)
    model.train(mode)
    norms = torch.stack([g.flatten(1).norm(dim=1) for g in grads.values()]).norm(dim=0)
    factors = torch.clamp(max_grad_norm / (norms + 1e-6), max=1.0)
    for name, parameter in model.named_parameters():
        if name in grads:
            total = (factors.view(-1, *[1] * (grads[name].dim() - 1)) * grads[name]).sum(0)
            noise = torch.normal(0.0, noise_multiplier * max_grad_norm, parameter.shape, generator=generator)
            parameter.grad = (total + noise) / len(labels)
    optimizer.step()
    return norms
