"""Kata: implement curriculum learning (seed question 53).

Run the checks with:  pytest --katas train_with_curriculum
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from datasets import Dataset, concatenate_datasets
from transformers import (
    PreTrainedModel,
    PreTrainedTokenizerBase,
    Trainer,
    TrainerCallback,
    TrainingArguments,
)


def train_with_curriculum(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    stages: Sequence[Dataset],
    output_dir: str | os.PathLike[str],
    *,
    batch_size: int = 8,
    learning_rate: float = 5e-5,
    callbacks: Sequence[TrainerCallback] = (),
) -> Trainer:
    """Fine-tune a sequence classifier on a curriculum: the easy examples first, the hard ones last.

    Args:
        model: a sequence classifier (the checks pass a tiny 2-label BERT); trained in place.
        tokenizer: its tokenizer.
        stages: the curriculum, easiest stage first; each a ``datasets.Dataset`` with a
            ``"text"`` and a ``"label"`` column.
        output_dir: the folder the Trainer may write to.
        batch_size: how many examples each optimizer step trains on.
        learning_rate: the optimizer's (peak) learning rate.
        callbacks: ``TrainerCallback`` objects to hand to the Trainer, so that they follow the
            training (the checks watch the curriculum through one).

    Returns:
        The Trainer that trained the model. Training makes one pass over the curriculum: every
        example of every stage is trained on exactly once, and no example of a later stage comes
        before an example of an earlier one (the order *within* a stage is free). The model keeps
        what it learnt from stage to stage. Train on the CPU, log the loss at every step, save no
        checkpoints, report to no tracker, show no progress bar.

    Raises:
        ValueError: if there are no stages, a stage is empty, or a stage lacks the ``"text"`` or
            ``"label"`` column.
    """
    # TODO: keep the stages in order (the Trainer shuffles its training set by default), train once.
    raise NotImplementedError
