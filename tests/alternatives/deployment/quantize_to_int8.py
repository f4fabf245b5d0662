"""Alternative for quantize_to_int8: the layers found by name and set with set_submodule, the scale
as an infinity norm, the bias kept as a buffer."""

from __future__ import annotations

import copy

import torch
from torch import nn


class QuantizedLinear(nn.Module):
    def __init__(self, weight: torch.Tensor, bias: torch.Tensor | None) -> None:
        super().__init__()
        weight = weight.detach().to(torch.float32)
        scale = torch.linalg.vector_norm(weight, ord=float("inf"), dim=1) / 127
        scale[scale == 0] = 1.0
        self.register_buffer(
            "weight_int8", torch.round(weight / scale.unsqueeze(1)).clamp(-127, 127).to(torch.int8)
        )
        self.register_buffer("scale", scale)
        self.register_buffer("bias", None if bias is None else bias.detach().clone())

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        weight = (self.weight_int8 * self.scale.unsqueeze(1)).to(x.dtype)
        bias = None if self.bias is None else self.bias.to(x.dtype)
        return nn.functional.linear(x, weight, bias)


def quantize_to_int8(model: nn.Module) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError("quantize_to_int8 needs a torch.nn.Module")
    result = copy.deepcopy(model)
    get_head = getattr(result, "get_output_embeddings", None)
    head = get_head() if get_head is not None else None
    names = [name for name, m in result.named_modules() if isinstance(m, nn.Linear) and m is not head]
    for name in names:
        linear = result.get_submodule(name)
        result.set_submodule(name, QuantizedLinear(linear.weight, linear.bias))
    result.train(model.training)
    return result
