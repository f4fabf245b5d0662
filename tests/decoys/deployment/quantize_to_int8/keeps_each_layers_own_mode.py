"""Decoy for quantize_to_int8: gives each int8 module the mode of the Linear it replaces, and never puts the copy in the model's mode.

caught_by: test_every_module_of_the_copy_is_in_the_models_mode
"""

from __future__ import annotations

import copy

import torch
from torch import nn
from torch.nn import functional as F


class Int8Linear(nn.Module):
    """A Linear layer whose weight is stored in int8 with one float32 scale per output row."""

    def __init__(self, linear: nn.Linear) -> None:
        super().__init__()
        weight = linear.weight.detach().float()
        scale = weight.abs().amax(dim=1) / 127
        scale = torch.where(scale == 0, torch.ones_like(scale), scale)
        self.register_buffer("weight_int8", (weight / scale[:, None]).round().to(torch.int8))
        self.register_buffer("scale", scale)
        self.bias = linear.bias
        self.train(linear.training)  # MISTAKE: each module keeps its own mode, not the model's

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = self.weight_int8.to(x.dtype) * self.scale[:, None].to(x.dtype)
        return F.linear(x, weight, self.bias)


def quantize_to_int8(model: nn.Module) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    quantized = copy.deepcopy(model)
    head = quantized.get_output_embeddings() if hasattr(quantized, "get_output_embeddings") else None
    for module in list(quantized.modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, nn.Linear) and child is not head:
                setattr(module, child_name, Int8Linear(child))
    return quantized
