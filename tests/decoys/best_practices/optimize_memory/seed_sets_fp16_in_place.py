"""Decoy for optimize_memory: like the seed it sets fp16 and 4 accumulation steps on the caller's args in place.

The effective batch grows fourfold, precision changes, and the caller's object is modified.

caught_by: test_the_callers_args_are_left_untouched
"""

from __future__ import annotations

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    if not isinstance(args, TrainingArguments):
        raise TypeError(f"args must be TrainingArguments, not {type(args).__name__}")
    if max_per_device_batch_size < 1:
        raise ValueError(f"max_per_device_batch_size must be at least 1, got {max_per_device_batch_size}")
    args.fp16 = True  # MISTAKE
    args.gradient_accumulation_steps = 4  # MISTAKE
    return args
