"""Decoy for optimize_memory: caps the per-device batch but keeps the accumulation steps, so the effective batch shrinks.

caught_by: test_the_effective_batch_size_is_kept
"""

from __future__ import annotations

import dataclasses

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    if not isinstance(args, TrainingArguments):
        raise TypeError(f"args must be TrainingArguments, not {type(args).__name__}")
    if max_per_device_batch_size < 1:
        raise ValueError(f"max_per_device_batch_size must be at least 1, got {max_per_device_batch_size}")
    return dataclasses.replace(
        args,
        activation_checkpointing=True,
        per_device_train_batch_size=min(
            args.per_device_train_batch_size, max_per_device_batch_size
        ),  # MISTAKE
        per_device_eval_batch_size=min(args.per_device_eval_batch_size, max_per_device_batch_size),
    )
