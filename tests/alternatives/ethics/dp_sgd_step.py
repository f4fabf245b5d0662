"""Alternative: no torch.func; one forward and torch.autograd.grad per example in a loop, each
example's gradients clipped as one flat vector, and the noise drawn with randn."""

from __future__ import annotations

from collections.abc import Mapping

import torch
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
    if not (max_grad_norm > 0 and noise_multiplier >= 0):
        raise ValueError("need max_grad_norm > 0 and noise_multiplier >= 0")
    labels = batch.get("labels")
    if labels is None or labels.numel() == 0:
        raise ValueError("an empty or unlabelled batch")
    params = [p for p in model.parameters() if p.requires_grad]
    mode = model.training
    model.eval()
    total = [torch.zeros_like(p) for p in params]
    norms = []
    for input_ids, label in zip(batch["input_ids"], labels, strict=True):
        loss = model(input_ids=input_ids.unsqueeze(0), labels=label.unsqueeze(0)).loss
        grads = torch.autograd.grad(loss, params)
        norm = torch.cat([g.reshape(-1) for g in grads]).norm()
        factor = min(1.0, max_grad_norm / (norm.item() + 1e-6))
        for running, g in zip(total, grads, strict=True):
            running.add_(g, alpha=factor)
        norms.append(norm.detach())
    model.train(mode)
    for p, running in zip(params, total, strict=True):
        noise = torch.randn(p.shape, generator=generator) * (noise_multiplier * max_grad_norm)
        p.grad = (running + noise) / len(norms)
    optimizer.step()
    return torch.stack(norms)
