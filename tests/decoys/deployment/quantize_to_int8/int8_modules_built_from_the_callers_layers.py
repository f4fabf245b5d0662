"""Decoy for quantize_to_int8: builds each int8 module from the caller's Linear, so the copy shares the caller's biases.

caught_by: test_changing_the_copy_leaves_the_model_alone
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

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = self.weight_int8.to(x.dtype) * self.scale[:, None].to(x.dtype)
        return F.linear(x, weight, self.bias)


def quantize_to_int8(model: nn.Module) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    quantized = copy.deepcopy(model)
    head = model.get_output_embeddings() if hasattr(model, "get_output_embeddings") else None
    for name, child in list(model.named_modules()):
        if isinstance(child, nn.Linear) and child is not head:
            quantized.set_submodule(name, Int8Linear(child))  # MISTAKE: child.bias is the caller's
    return quantized.train(model.training)
