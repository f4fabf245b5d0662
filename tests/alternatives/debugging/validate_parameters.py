"""Alternative: torch.isnan and torch.isinf tested separately, in one comprehension under no_grad."""

from __future__ import annotations

from typing import TypeVar

import torch

M = TypeVar("M", bound=torch.nn.Module)


def validate_parameters(model: M) -> M:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"expected a torch.nn.Module, got {type(model).__name__}")
    with torch.no_grad():
        bad = [
            name
            for name, param in model.named_parameters()
            if bool(torch.isnan(param).any() or torch.isinf(param).any())
        ]
    if bad:
        raise ValueError("parameters with NaN or inf: " + ", ".join(bad))
    return model
