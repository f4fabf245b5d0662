"""Kata: learning-rate scheduling with warm-up (seed question 44).

Run the checks with:  pytest --katas schedule_learning_rate
"""

from __future__ import annotations

import torch
from torch.optim.lr_scheduler import LRScheduler
from transformers import get_scheduler


def schedule_learning_rate(
    optimizer: torch.optim.Optimizer,
    schedule: str,
    warmup_steps: int,
    total_steps: int,
) -> LRScheduler:
    """Build the learning-rate schedule of a training run: a warm-up, then a decay to 0.

    This is what the Trainer builds from ``TrainingArguments(lr_scheduler_type=...,
    warmup_steps=...)``; here you build it for your own training loop, which calls
    ``optimizer.step()`` then ``scheduler.step()`` once per training step.

    Args:
        optimizer: the optimizer whose learning rates are scheduled, not scheduled before (its
            groups have no ``"initial_lr"``). Each of its parameter groups keeps its own peak
            learning rate: the ``"lr"`` it has when it is passed in.
        schedule: ``"linear"`` or ``"cosine"``: how the learning rate decays after the warm-up.
        warmup_steps: the number of warm-up steps, 0 for none; at most ``total_steps``.
        total_steps: the number of training steps of the run, at least 1.

    Returns:
        A ``torch.optim.lr_scheduler.LRScheduler`` of ``optimizer``, ready for step 0 (not stepped
        yet). With ``w = warmup_steps`` and ``T = total_steps``, the learning rate of each
        parameter group at step ``s`` (its ``"lr"`` after ``s`` calls of ``scheduler.step()``) is
        its peak times

        - ``s / w`` during the warm-up (``s < w``): 0 at step 0, the peak at step ``w``;
        - then, with ``p = (s - w) / (T - w)`` going from 0 to 1: ``1 - p`` for ``"linear"``
          and ``0.5 * (1 + cos(pi * p))`` for ``"cosine"``; both reach 0 at step ``T``. (When
          ``w == T``, every step of the run is warm-up.)

        Building the scheduler sets each group's ``"lr"`` to its step-0 value (and keeps the peak
        as ``"initial_lr"``), as every torch scheduler does; no other setting of the optimizer
        changes.

    Raises:
        ValueError: if ``schedule`` is neither ``"linear"`` nor ``"cosine"``, ``total_steps`` is
            below 1, or ``warmup_steps`` is negative or above ``total_steps``; the optimizer is
            then left as it was.
    """
    # TODO: validate, then let transformers build the schedule from its name.
    raise NotImplementedError
