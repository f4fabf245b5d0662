"""Decoy for schedule_learning_rate: passes the steps after the warm-up as the number of training steps, so the decay reaches 0 too early.

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
    decay_steps = total_steps - warmup_steps
    return get_scheduler(  # MISTAKE
        schedule, optimizer, num_warmup_steps=warmup_steps, num_training_steps=decay_steps
    )
