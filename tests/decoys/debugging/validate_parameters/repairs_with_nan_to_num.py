"""Decoy for validate_parameters: it silently replaces NaN and inf with finite numbers (nan_to_num_) instead of reporting them.

caught_by: test_a_non_finite_parameter_is_named_in_the_error
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
    for name, param in model.named_parameters():
        # isfinite is False for NaN, +inf and -inf alike; torch.isnan alone misses infinities.
        finite = torch.isfinite(param.detach())
        if not finite.all():
            nan = int(torch.isnan(param.detach()).sum())
            inf = int((~finite).sum()) - nan
            with torch.no_grad():
                param.nan_to_num_()  # MISTAKE: hides the problem instead of reporting it
    if problems:
        raise ValueError(f"non-finite values in {len(problems)} parameter(s): {', '.join(problems)}")
    return model
