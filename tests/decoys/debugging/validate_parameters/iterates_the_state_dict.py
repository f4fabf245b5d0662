"""Decoy for validate_parameters: it iterates model.state_dict(), which holds the buffers too, so a healthy model with a -inf mask buffer is rejected.

caught_by: test_buffers_are_not_parameters
"""

from __future__ import annotations

from typing import TypeVar

import torch

M = TypeVar("M", bound=torch.nn.Module)


def validate_parameters(model: M) -> M:
    if not isinstance(model, torch.nn.Module):
        raise TypeError(f"model must be a torch.nn.Module, got {type(model).__name__}")
    problems = []
    # named_parameters() yields every parameter once (tied weights, like GPT-2's input and output
    # embeddings, under their first name), frozen ones included.
    for name, param in model.state_dict().items():  # MISTAKE: buffers are not parameters
        # isfinite is False for NaN, +inf and -inf alike; torch.isnan alone misses infinities.
        finite = torch.isfinite(param.detach())
        if not finite.all():
            nan = int(torch.isnan(param.detach()).sum())
            inf = int((~finite).sum()) - nan
            problems.append(f"{name} ({nan} NaN, {inf} inf)")
    if problems:
        raise ValueError(f"non-finite values in {len(problems)} parameter(s): {', '.join(problems)}")
    return model
