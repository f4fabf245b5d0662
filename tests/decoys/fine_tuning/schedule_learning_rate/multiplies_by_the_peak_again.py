"""Decoy for schedule_learning_rate: writes a LambdaLR whose function returns the learning rate itself, not a factor: LambdaLR multiplies it by the peak again.

caught_by: test_linear_warms_up_to_the_peak_then_decays_to_zero
"""

from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LambdaLR, LRScheduler
from transformers import get_scheduler


def schedule_learning_rate(
    optimizer: torch.optim.Optimizer,
    schedule: str,
    warmup_steps: int,
    total_steps: int,
) -> LRScheduler:
    if schedule not in ("linear", "cosine"):
        raise ValueError(f"unknown schedule {schedule!r}")
    if total_steps < 1:
        raise ValueError("total_steps must be at least 1")
    if not 0 <= warmup_steps <= total_steps:
        raise ValueError("warmup_steps out of range")
    peak = optimizer.param_groups[0]["lr"]

    def rate(step: int) -> float:
        if step < warmup_steps:
            return peak * step / warmup_steps  # MISTAKE: LambdaLR wants the factor
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        if schedule == "linear":
            return peak * (1.0 - progress)
        return peak * 0.5 * (1.0 + math.cos(math.pi * progress))

    return LambdaLR(optimizer, rate)
