"""Alternative: the classic FGM helper class (attack / restore by parameter name, found through
get_input_embeddings()), the norm as torch.norm, the state saved in a dict and restored with .data."""

from __future__ import annotations

import math
from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


class FGM:
    def __init__(self, model: PreTrainedModel) -> None:
        self.model = model
        self.backup: dict[str, torch.Tensor] = {}
        target = model.get_input_embeddings().weight
        self.names = [name for name, p in model.named_parameters(remove_duplicate=True) if p is target]

    def attack(self, epsilon: float) -> None:
        for name, param in self.model.named_parameters():
            if name in self.names:
                self.backup[name] = param.data.clone()
                if param.grad is None:
                    continue
                norm = torch.norm(param.grad)
                if norm != 0 and not torch.isnan(norm) and not torch.isinf(norm):
                    param.data.add_(epsilon * param.grad / norm)

    def restore(self) -> None:
        for name, param in self.model.named_parameters():
            if name in self.backup:
                param.data = self.backup[name]
        self.backup = {}


def adversarial_training_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    epsilon: float,
) -> tuple[float, float]:
    if epsilon < 0 or math.isnan(epsilon) or math.isinf(epsilon):
        raise ValueError("bad epsilon")
    if batch.get("labels") is None:
        raise ValueError("no labels")
    model.train(True)
    for parameter in model.parameters():
        parameter.grad = None
    fgm = FGM(model)
    clean = model(**batch).loss
    clean.backward()
    fgm.attack(epsilon)
    adversarial = model(**batch)["loss"]
    adversarial.backward()
    fgm.restore()
    optimizer.step()
    model.zero_grad(set_to_none=True)
    return float(clean.detach()), float(adversarial.detach())
