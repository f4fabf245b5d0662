"""Alternative: the schedule written out as a LambdaLR factor, with no transformers helper."""

from __future__ import annotations

import math

import torch
from torch.optim.lr_scheduler import LambdaLR, LRScheduler


def schedule_learning_rate(
    optimizer: torch.optim.Optimizer,
    schedule: str,
    warmup_steps: int,
    total_steps: int,
) -> LRScheduler:
    decays = {"linear": lambda p: 1.0 - p, "cosine": lambda p: 0.5 * (1.0 + math.cos(math.pi * p))}
    if schedule not in decays or total_steps < 1 or warmup_steps < 0 or warmup_steps > total_steps:
        raise ValueError(f"bad schedule: {schedule!r}, {warmup_steps} warm-up steps of {total_steps}")
    decay = decays[schedule]

    def factor(step: int) -> float:
        if step < warmup_steps:
            return step / warmup_steps
        return max(0.0, decay(min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))))

    return LambdaLR(optimizer, factor)
