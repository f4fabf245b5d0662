"""Decoy for optimize_memory: dataclasses.replace(args, gradient_checkpointing=True), which silently stays False in 5.23.

caught_by: test_activation_checkpointing_is_on_and_reaches_the_model
"""

from __future__ import annotations

import dataclasses

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    if not isinstance(args, TrainingArguments):
        raise TypeError(f"args must be TrainingArguments, not {type(args).__name__}")
    if max_per_device_batch_size < 1:
        raise ValueError(f"max_per_device_batch_size must be at least 1, got {max_per_device_batch_size}")
    effective = args.per_device_train_batch_size * args.gradient_accumulation_steps
    limit = min(max_per_device_batch_size, args.per_device_train_batch_size)
    batch = max(size for size in range(1, limit + 1) if effective % size == 0)
    return dataclasses.replace(
        args,
        gradient_checkpointing=True,  # MISTAKE: the resolved activation_checkpointing=False wins
        per_device_train_batch_size=batch,
        gradient_accumulation_steps=effective // batch,
        per_device_eval_batch_size=min(args.per_device_eval_batch_size, max_per_device_batch_size),
    )
