"""Decoy for schedule_learning_rate: refuses warmup_steps == total_steps, which the contract allows.

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
    if total_steps < 1 or not 0 <= warmup_steps < total_steps:  # MISTAKE
        raise ValueError("warmup_steps out of range")
    return get_scheduler(schedule, optimizer, num_warmup_steps=warmup_steps, num_training_steps=total_steps)
