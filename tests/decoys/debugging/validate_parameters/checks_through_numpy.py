"""Decoy for validate_parameters: it tests the values with np.isfinite, which cannot take a bfloat16 tensor.

caught_by: test_the_largest_finite_values_of_every_dtype_are_healthy[bfloat16]
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np
import torch

M = TypeVar("M", bound=torch.nn.Module)


def validate_parameters(model: M) -> M:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    problems = []
    # named_parameters() yields every parameter once (tied weights, like GPT-2's input and output
    # embeddings, under their first name), frozen ones included.
    for name, param in model.named_parameters():
        # isfinite is False for NaN, +inf and -inf alike; torch.isnan alone misses infinities.
        finite = torch.from_numpy(np.isfinite(param.detach().cpu().numpy()))  # MISTAKE: numpy has no bfloat16
        if not finite.all():
            nan = int(torch.isnan(param.detach()).sum())
            inf = int((~finite).sum()) - nan
            problems.append(f"{name} ({nan} NaN, {inf} inf)")
    if problems:
        raise ValueError(f"non-finite values in {len(problems)} parameter(s): {', '.join(problems)}")
    return model
