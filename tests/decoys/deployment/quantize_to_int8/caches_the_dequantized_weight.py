"""Decoy for quantize_to_int8: caches the dequantized float weight at the first forward, keeping a float copy after all.

caught_by: test_the_copy_computes_with_the_dequantized_weights
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
        if getattr(self, "_cache", None) is None or self._cache.dtype != x.dtype:
            # MISTAKE: the float weight cached for speed takes back the memory saved
            self._cache = self.weight_int8.to(x.dtype) * self.scale[:, None].to(x.dtype)
        weight = self._cache
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
    return quantized.train(model.training)
