"""Decoy for quantize_to_int8: hands the model to torch.ao.quantization.quantize_dynamic, deprecated for removal, whose layers keep no weight_int8 and scale.

caught_by: test_every_linear_but_the_head_holds_int8_weights_and_a_scale_per_row
"""

from __future__ import annotations

import torch
from torch import nn


def quantize_to_int8(model: nn.Module) -> nn.Module:
    if not isinstance(model, nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    return torch.ao.quantization.quantize_dynamic(model, {nn.Linear}, dtype=torch.qint8)  # MISTAKE
