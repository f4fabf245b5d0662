"""Alternative: save only the best checkpoint (save_strategy="best", at most one kept), name the
metric with its eval_ prefix, and add the callback after building the Trainer."""

from __future__ import annotations

import os
from collections.abc import Callable

from datasets import Dataset
from transformers import (
    DataCollatorWithPadding,
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
    for name, value in {"patience": patience, "eval_steps": eval_steps, "max_steps": max_steps}.items():
        if value < 1:
            raise ValueError(f"{name} must be positive")
    if batch_size <= 0:
        raise ValueError("batch_size must be positive")
    columns = ["input_ids", "attention_mask", "label"]
    train, evaluation = (
        data.map(lambda row: tokenizer(row["text"], truncation=True)).select_columns(columns)
        for data in (train_dataset, eval_dataset)
    )
    args = TrainingArguments(
        output_dir=os.fspath(output_dir),
        use_cpu=True,
        max_steps=max_steps,
        per_device_train_batch_size=batch_size,
        per_device_eval_batch_size=batch_size,
        learning_rate=learning_rate,
        eval_strategy="steps",
        eval_steps=eval_steps,
        save_strategy="best",
        save_total_limit=1,
        metric_for_best_model=metric if metric.startswith("eval_") else f"eval_{metric}",
        greater_is_better=greater_is_better,
        load_best_model_at_end=True,
        report_to=[],
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=train,
        eval_dataset=evaluation,
        data_collator=DataCollatorWithPadding(tokenizer),
        compute_metrics=compute_metrics,
    )
    trainer.add_callback(EarlyStoppingCallback(early_stopping_patience=patience))
    trainer.train()
    return trainer
