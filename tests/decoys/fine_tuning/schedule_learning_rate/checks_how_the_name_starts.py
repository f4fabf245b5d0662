"""Decoy for schedule_learning_rate: checks only how the name starts, so 'cosine_with_restarts' is accepted.

caught_by: test_a_bad_schedule_raises_value_error_and_leaves_the_optimizer_alone
"""

from __future__ import annotations

import torch
from torch.optim.lr_scheduler import LRScheduler
from transformers import get_scheduler


def schedule_learning_rate(
    optimizer: torch.optim.Optimizer,
    schedule: str,
    warmup_steps: int,
    total_steps: int,
) -> LRScheduler:
    if not schedule.startswith(("linear", "cosine")):  # MISTAKE: the library's other cosine schedules pass
        raise ValueError(f"unknown schedule {schedule!r}")
    if total_steps < 1:
        raise ValueError("total_steps must be at least 1")
    if not 0 <= warmup_steps <= total_steps:
        raise ValueError("warmup_steps out of range")
    return get_scheduler(schedule, optimizer, num_warmup_steps=warmup_steps, num_training_steps=total_steps)
