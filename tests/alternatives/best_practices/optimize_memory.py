"""Alternative: a deep copy with both checkpointing attributes set; the batch found by counting down."""

from __future__ import annotations

import copy

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    if not isinstance(args, TrainingArguments):
        raise TypeError("optimize_memory needs TrainingArguments")
    if max_per_device_batch_size < 1:
        raise ValueError("max_per_device_batch_size must be positive")
    effective = args.per_device_train_batch_size * args.gradient_accumulation_steps
    batch = min(max_per_device_batch_size, args.per_device_train_batch_size)
    while effective % batch:
        batch -= 1
    new = copy.deepcopy(args)
    new.activation_checkpointing = True
    new.gradient_checkpointing = True
    new.per_device_train_batch_size = batch
    new.gradient_accumulation_steps = effective // batch
    new.per_device_eval_batch_size = min(new.per_device_eval_batch_size, max_per_device_batch_size)
    return new
