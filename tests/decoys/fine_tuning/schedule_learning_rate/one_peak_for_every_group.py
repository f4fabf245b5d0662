"""Decoy for schedule_learning_rate: writes its own scheduler class that gives every parameter group the first group's peak.

caught_by: test_each_parameter_group_keeps_its_own_peak_and_settings
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

    class WarmupThenDecay(LRScheduler):
        def get_lr(self) -> list[float]:
            step = self.last_epoch
            if step < warmup_steps:
                f = step / warmup_steps
            else:
                progress = (step - warmup_steps) / (total_steps - warmup_steps)
                f = 1.0 - progress if schedule == "linear" else 0.5 * (1.0 + math.cos(math.pi * progress))
            return [self.base_lrs[0] * f for _ in self.base_lrs]  # MISTAKE

    return WarmupThenDecay(optimizer)
