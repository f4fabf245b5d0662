"""Kata: early stopping (seed question 46).

Run the checks with:  pytest --katas train_with_early_stopping
"""

from __future__ import annotations

import os
from collections.abc import Callable

from datasets import Dataset
from transformers import (
    EarlyStoppingCallback,
    EvalPrediction,
    PreTrainedModel,
    PreTrainedTokenizerBase,
    Trainer,
    TrainingArguments,
)


def train_with_early_stopping(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    train_dataset: Dataset,
    eval_dataset: Dataset,
    output_dir: str | os.PathLike[str],
    *,
    patience: int,
    eval_steps: int,
    max_steps: int,
    metric: str = "loss",
    greater_is_better: bool = False,
    compute_metrics: Callable[[EvalPrediction], dict[str, float]] | None = None,
    batch_size: int = 4,
    learning_rate: float = 5e-5,
) -> Trainer:
    """Fine-tune a sequence classifier with the Trainer, and stop when the evaluations stop improving.

    Args:
        model: a sequence classifier (the checks pass a tiny 2-label BERT); trained in place.
        tokenizer: its tokenizer.
        train_dataset: the training examples, a ``datasets.Dataset`` with a ``"text"`` and a
            ``"label"`` column.
        eval_dataset: the evaluation examples, with the same two columns.
        output_dir: the folder the Trainer writes its checkpoints to.
        patience: how many evaluations in a row may fail to improve on the best one so far
            before training stops; an evaluation that only equals the best is no improvement.
        eval_steps: evaluate on ``eval_dataset`` every ``eval_steps`` optimizer steps (steps
            ``eval_steps``, ``2 * eval_steps``, ...), and at no other time.
        max_steps: the most optimizer steps to train for, when training never stops early.
        metric: the evaluation metric to watch: ``"loss"`` for the evaluation loss, or a key of
            the dict that ``compute_metrics`` returns (without the ``"eval_"`` prefix that the
            Trainer adds to it).
        greater_is_better: True if a higher ``metric`` is better, False if a lower one is.
        compute_metrics: a function of the evaluation's predictions that returns the metrics
            computed on them, for the Trainer to call at each evaluation; None for none.
        batch_size: how many examples each training and evaluation batch holds.
        learning_rate: the optimizer's (peak) learning rate.

    Returns:
        The Trainer, after training. ``trainer.state.global_step`` is the step training stopped
        at: the step of the evaluation that made ``patience`` evaluations in a row without
        improvement, or ``max_steps``. ``trainer.state.best_metric`` is the best value of
        ``metric``, and the model holds the weights it had at that evaluation (the first one
        with that value), not those of the last step. Training runs on the CPU, reports to no
        tracker, shows no training progress bar, and writes only into ``output_dir``.

    Raises:
        ValueError: if ``patience``, ``eval_steps``, ``max_steps`` or ``batch_size`` is below 1,
            before anything is trained or written.
    """
    # TODO: evaluate and save at the same steps, name the metric, load the best model at the end,
    # and give the Trainer an EarlyStoppingCallback.
    raise NotImplementedError
