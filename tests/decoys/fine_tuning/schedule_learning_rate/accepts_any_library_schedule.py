"""Decoy for schedule_learning_rate: lets get_scheduler judge the name, so 'constant' and 'polynomial' are accepted.

caught_by: test_a_bad_schedule_raises_value_error_and_leaves_the_optimizer_alone
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
    if total_steps < 1 or not 0 <= warmup_steps <= total_steps:
        raise ValueError("warmup_steps out of range")
    return get_scheduler(  # MISTAKE: any name the library knows
        schedule, optimizer, num_warmup_steps=warmup_steps, num_training_steps=total_steps
    )
