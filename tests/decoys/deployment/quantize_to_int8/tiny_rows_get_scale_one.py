"""Decoy for quantize_to_int8: gives scale 1.0 to every row whose largest weight is below 1e-6, not to rows of zeros only.

caught_by: test_a_plain_module_with_a_zero_row_a_bias_free_layer_and_bfloat16_input
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
        scale = torch.where(
            scale < 1e-6, torch.ones_like(scale), scale
        )  # MISTAKE: tiny rows are not zero rows
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
    head = quantized.get_output_embeddings() if hasattr(quantized, "get_output_embeddings") else None
    for module in list(quantized.modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, nn.Linear) and child is not head:
                setattr(module, child_name, Int8Linear(child))
    return quantized.train(model.training)
