"""Decoy for schedule_learning_rate: writes the warm-up by hand as (step + 1) / warmup_steps, one step ahead.

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

    def factor(step: int) -> float:
        if step < warmup_steps:
            return (step + 1) / warmup_steps  # MISTAKE
        progress = (step - warmup_steps) / (total_steps - warmup_steps)
        if schedule == "linear":
            return 1.0 - progress
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    return LambdaLR(optimizer, factor)
