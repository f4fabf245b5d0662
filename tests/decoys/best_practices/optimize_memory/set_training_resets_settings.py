"""Decoy for optimize_memory: uses set_training() on a copy, which resets learning rate, seed and steps to defaults.

caught_by: test_every_other_setting_is_kept
"""

from __future__ import annotations

import copy

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    if not isinstance(args, TrainingArguments):
        raise TypeError(f"args must be TrainingArguments, not {type(args).__name__}")
    if max_per_device_batch_size < 1:
        raise ValueError(f"max_per_device_batch_size must be at least 1, got {max_per_device_batch_size}")
    effective = args.per_device_train_batch_size * args.gradient_accumulation_steps
    limit = min(max_per_device_batch_size, args.per_device_train_batch_size)
    batch = max(size for size in range(1, limit + 1) if effective % size == 0)
    new = copy.deepcopy(args)
    # MISTAKE: set_training's other parameters have defaults that overwrite the run's settings
    new.set_training(
        batch_size=batch, gradient_accumulation_steps=effective // batch, activation_checkpointing=True
    )
    new.per_device_eval_batch_size = min(args.per_device_eval_batch_size, max_per_device_batch_size)
    return new
