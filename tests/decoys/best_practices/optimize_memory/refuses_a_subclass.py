"""Decoy for optimize_memory: it checks type(args) is TrainingArguments, so Seq2SeqTrainingArguments, a TrainingArguments too, is refused.

caught_by: test_a_subclass_of_training_arguments_keeps_its_class_and_settings
"""

from __future__ import annotations

import dataclasses

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    if type(args) is not TrainingArguments:  # MISTAKE: a subclass is TrainingArguments too
        raise TypeError(f"args must be TrainingArguments, not {type(args).__name__}")
    if max_per_device_batch_size < 1:
        raise ValueError(f"max_per_device_batch_size must be at least 1, got {max_per_device_batch_size}")
    effective = args.per_device_train_batch_size * args.gradient_accumulation_steps
    limit = min(max_per_device_batch_size, args.per_device_train_batch_size)
    # The largest per-device batch that splits the effective batch into equal steps.
    batch = max(size for size in range(1, limit + 1) if effective % size == 0)
    # replace() builds a new object and re-runs __post_init__, so the caller's args stay as they
    # are. Set activation_checkpointing, not its deprecated alias: replace() passes every field of
    # args, including the already resolved activation_checkpointing=False, which wins over a
    # gradient_checkpointing=True given here.
    return dataclasses.replace(
        args,
        activation_checkpointing=True,
        per_device_train_batch_size=batch,
        gradient_accumulation_steps=effective // batch,
        per_device_eval_batch_size=min(args.per_device_eval_batch_size, max_per_device_batch_size),
    )
