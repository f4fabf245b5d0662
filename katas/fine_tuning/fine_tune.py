"""Kata: fine-tune a Transformers model (seed question 43).

Run the checks with:  pytest --katas fine_tune
"""

from __future__ import annotations

import os

from datasets import Dataset
from transformers import (
    DataCollatorWithPadding,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    Trainer,
    TrainingArguments,
)


def fine_tune(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    train_dataset: Dataset,
    output_dir: str | os.PathLike[str],
    *,
    max_steps: int = 10,
    batch_size: int = 8,
    learning_rate: float = 5e-5,
) -> Trainer:
    """Fine-tune a sequence classifier on labelled texts with the Trainer, on the CPU.

    Args:
        model: a sequence classifier (the checks pass a tiny 2-label BERT); it is trained in place.
        tokenizer: its tokenizer.
        train_dataset: a ``datasets.Dataset`` with a ``"text"`` column (strings) and a
            ``"label"`` column (class ids).
        output_dir: the folder the Trainer may write to.
        max_steps: how many optimizer steps to take.
        batch_size: how many examples each step trains on (at most: a data set smaller than a
            batch is fine).
        learning_rate: the optimizer's (peak) learning rate.

    Returns:
        The Trainer, after training. ``trainer.model`` is ``model``, now fine-tuned;
        ``trainer.state.log_history`` holds the training loss of *every* step; the Trainer knows
        the tokenizer, so that ``trainer.save_model(folder)`` saves it next to the weights. Train on
        the CPU, save no checkpoints, report to no experiment tracker, show no progress bar.

    Raises:
        ValueError: if ``train_dataset`` is empty or lacks the ``"text"`` or ``"label"`` column
            (the message names it), or if ``max_steps`` or ``batch_size`` is less than 1.
    """
    # TODO: validate, tokenize the texts, set up TrainingArguments and a Trainer, train, return it.
    raise NotImplementedError
