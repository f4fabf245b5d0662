"""Decoy for optimize_memory: computes the right settings but writes them onto the caller's args and returns it.

caught_by: test_the_callers_args_are_left_untouched
"""

from __future__ import annotations

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    if not isinstance(args, TrainingArguments):
        raise TypeError(f"args must be TrainingArguments, not {type(args).__name__}")
    if max_per_device_batch_size < 1:
        raise ValueError(f"max_per_device_batch_size must be at least 1, got {max_per_device_batch_size}")
    effective = args.per_device_train_batch_size * args.gradient_accumulation_steps
    limit = min(max_per_device_batch_size, args.per_device_train_batch_size)
    batch = max(size for size in range(1, limit + 1) if effective % size == 0)
    # MISTAKE: in place
    args.activation_checkpointing = args.gradient_checkpointing = True
    args.per_device_train_batch_size = batch
    args.gradient_accumulation_steps = effective // batch
    args.per_device_eval_batch_size = min(args.per_device_eval_batch_size, max_per_device_batch_size)
    return args
