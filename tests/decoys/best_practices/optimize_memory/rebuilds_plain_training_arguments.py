"""Decoy for optimize_memory: it builds a new TrainingArguments from the fields of args, so a subclass such as Seq2SeqTrainingArguments loses its class and its own settings.

caught_by: test_a_subclass_of_training_arguments_keeps_its_class_and_settings
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
    # The largest per-device batch that splits the effective batch into equal steps.
    batch = max(size for size in range(1, limit + 1) if effective % size == 0)
    # replace() builds a new object and re-runs __post_init__, so the caller's args stay as they
    # are. Set activation_checkpointing, not its deprecated alias: replace() passes every field of
    # args, including the already resolved activation_checkpointing=False, which wins over a
    # gradient_checkpointing=True given here.
    kept = {"activation_checkpointing", "per_device_train_batch_size", "gradient_accumulation_steps"}
    kept.add("per_device_eval_batch_size")
    return TrainingArguments(  # MISTAKE: drops the class of args and the fields of a subclass
        **{
            field.name: getattr(args, field.name)
            for field in dataclasses.fields(TrainingArguments)
            if field.init and field.name not in kept
        },
        activation_checkpointing=True,
        per_device_train_batch_size=batch,
        gradient_accumulation_steps=effective // batch,
        per_device_eval_batch_size=min(args.per_device_eval_batch_size, max_per_device_batch_size),
    )
