"""Alternative: keep only the model's columns, an explicit padding collator, a constant learning rate."""

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
    for column in ("text", "label"):
        if column not in train_dataset.column_names:
            raise ValueError(f"the data set needs a {column!r} column")
    if not len(train_dataset) or min(max_steps, batch_size) < 1:
        raise ValueError("nothing to train: an empty data set, or max_steps / batch_size below 1")
    encoded = train_dataset.map(
        lambda row: tokenizer(row["text"], truncation=True, max_length=64),
        remove_columns=["text"],
    ).rename_column("label", "labels")
    args = TrainingArguments(
        output_dir=os.fspath(output_dir),
        use_cpu=True,
        max_steps=max_steps,
        per_device_train_batch_size=batch_size,
        learning_rate=learning_rate,
        lr_scheduler_type="constant",
        logging_strategy="steps",
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=encoded,
        data_collator=DataCollatorWithPadding(tokenizer, pad_to_multiple_of=8),
        processing_class=tokenizer,
    )
    trainer.train()
    return trainer
