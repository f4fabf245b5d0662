"""Kata: make a training run fit in less memory (seed question 133).

Run the checks with:  pytest --katas optimize_memory
"""

from __future__ import annotations

import dataclasses

from transformers import TrainingArguments


def optimize_memory(args: TrainingArguments, max_per_device_batch_size: int) -> TrainingArguments:
    """Return training arguments that need less memory per step and train the same way.

    Two settings trade speed for memory without changing what is learned: activation
    checkpointing (recompute activations in the backward pass instead of keeping them) and
    gradient accumulation (several small batches add up their gradients before one optimizer
    step, so the effective batch size stays the same). Mixed precision (fp16/bf16) also saves
    memory but needs a GPU: leave the precision settings as they are.

    Args:
        args: the run's training arguments; they must not be changed.
        max_per_device_batch_size: the largest batch that fits on the device, at least 1.

    Returns:
        New ``TrainingArguments`` (not ``args`` itself) equal to ``args`` except that:

        - activation checkpointing is on (``activation_checkpointing`` is True; in transformers 5
          ``gradient_checkpointing`` is its deprecated alias);
        - ``per_device_train_batch_size`` is the largest divisor of the effective batch size
          (``per_device_train_batch_size * gradient_accumulation_steps`` of ``args``) that is at
          most both ``max_per_device_batch_size`` and the current per-device batch size;
        - ``gradient_accumulation_steps`` is the effective batch size divided by that batch, so
          that the effective batch size is unchanged;
        - ``per_device_eval_batch_size`` is at most ``max_per_device_batch_size`` (evaluation
          has no gradients to accumulate, so it is simply capped).

    Raises:
        TypeError: if ``args`` is not a ``TrainingArguments``.
        ValueError: if ``max_per_device_batch_size`` is less than 1.
    """
    # TODO: compute the new batch size and accumulation steps, then build a modified copy of args.
    raise NotImplementedError
