"""Decoy for dp_sgd_step: draws Laplace noise of the right standard deviation (the Laplace mechanism) instead of Gaussian noise.

caught_by: test_the_noise_has_standard_deviation_sigma_times_c_over_the_batch_size
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
    if not max_grad_norm > 0:  # NaN fails too
        raise ValueError(f"max_grad_norm must be positive, got {max_grad_norm}")
    if not noise_multiplier >= 0:
        raise ValueError(f"noise_multiplier must be at least 0, got {noise_multiplier}")
    if "labels" not in batch or len(batch["labels"]) == 0:
        raise ValueError("the batch needs labels and at least one example")
    trainable = {name: p.detach() for name, p in model.named_parameters() if p.requires_grad}

    def loss_of_one(params, input_ids, label):  # one example, as a batch of one
        return functional_call(model, params, (), {"input_ids": input_ids[None], "labels": label[None]}).loss

    was_training = model.training
    model.eval()  # no dropout: vmap would need a rule for its randomness
    try:
        grads = vmap(grad(loss_of_one), in_dims=(None, 0, 0))(trainable, batch["input_ids"], batch["labels"])
    finally:
        model.train(was_training)
    norms = torch.stack([g.flatten(1).norm(dim=1) for g in grads.values()]).norm(dim=0)  # joint, per example
    factors = (max_grad_norm / (norms + 1e-6)).clamp(max=1.0)
    std = noise_multiplier * max_grad_norm
    for name, parameter in model.named_parameters():
        if name in grads:
            clipped_sum = torch.tensordot(factors, grads[name], dims=1)
            magnitude = torch.empty(parameter.shape).exponential_(generator=generator)  # MISTAKE
            sign = torch.where(torch.rand(parameter.shape, generator=generator) < 0.5, -1.0, 1.0)
            noise = sign * magnitude * std / 2**0.5  # a Laplace scale of std / sqrt(2)
            parameter.grad = (clipped_sum + noise) / len(norms)
    optimizer.step()
    return norms
