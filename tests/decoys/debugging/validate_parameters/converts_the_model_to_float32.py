"""Decoy for validate_parameters: it calls model.float() so that numpy can read bfloat16 weights, converting the caller's model in place.

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
    model.float()  # MISTAKE: converts the caller's model in place (numpy has no bfloat16)
    problems = []
    # named_parameters() yields every parameter once (tied weights, like GPT-2's input and output
    # embeddings, under their first name), frozen ones included.
    for name, param in model.named_parameters():
        # isfinite is False for NaN, +inf and -inf alike; torch.isnan alone misses infinities.
        finite = torch.from_numpy(np.isfinite(param.detach().numpy()))
        if not finite.all():
            nan = int(torch.isnan(param.detach()).sum())
            inf = int((~finite).sum()) - nan
            problems.append(f"{name} ({nan} NaN, {inf} inf)")
    if problems:
        raise ValueError(f"non-finite values in {len(problems)} parameter(s): {', '.join(problems)}")
    return model
