"""Decoy for train_with_early_stopping: refuses settings that are 0 but lets negative ones through (max_steps=-1 is the Trainer's 'train by epochs').

caught_by: test_a_bad_setting_raises_value_error_before_anything_is_trained_or_written
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
    if 0 in (patience, eval_steps, max_steps, batch_size):  # MISTAKE: -1 passes
        raise ValueError(
            f"patience, eval_steps, max_steps and batch_size must be at least 1, got "
            f"{patience}, {eval_steps}, {max_steps} and {batch_size}"
        )

    def tokenize(dataset: Dataset) -> Dataset:
        return dataset.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True)

    args = TrainingArguments(
        output_dir=str(output_dir),
        use_cpu=True,
        max_steps=max_steps,
        per_device_train_batch_size=batch_size,
        per_device_eval_batch_size=batch_size,
        learning_rate=learning_rate,
        # Evaluate and save a checkpoint at the same steps, so that the best one is on disk.
        eval_strategy="steps",
        eval_steps=eval_steps,
        save_strategy="steps",
        save_steps=eval_steps,
        metric_for_best_model=metric,  # "loss" means eval_loss: the Trainer adds "eval_"
        greater_is_better=greater_is_better,
        load_best_model_at_end=True,  # reload the best checkpoint when training stops
        report_to="none",
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=tokenize(train_dataset),
        eval_dataset=tokenize(eval_dataset),
        processing_class=tokenizer,
        compute_metrics=compute_metrics,
        # Stops after `patience` evaluations in a row that do not beat the best so far.
        callbacks=[EarlyStoppingCallback(early_stopping_patience=patience)],
    )
    trainer.train()
    return trainer
