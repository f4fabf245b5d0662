"""Alternative: one Trainer, trained stage by stage by swapping its train_dataset (the seed's idea)."""

from __future__ import annotations

import os
from collections.abc import Sequence

from datasets import Dataset
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
    if len(stages) == 0:
        raise ValueError("no stages")
    for index, stage in enumerate(stages):
        if not {"text", "label"} <= set(stage.column_names) or len(stage) == 0:
            raise ValueError(f"stage {index} must be a non-empty data set with 'text' and 'label' columns")
    tokenized = [
        stage.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True) for stage in stages
    ]
    trainer = Trainer(
        model=model,
        args=TrainingArguments(
            output_dir=os.fspath(output_dir),
            use_cpu=True,
            num_train_epochs=1,
            per_device_train_batch_size=batch_size,
            learning_rate=learning_rate,
            logging_steps=1,
            save_strategy="no",
            report_to="none",
            disable_tqdm=True,
        ),
        train_dataset=tokenized[0],
        processing_class=tokenizer,
        callbacks=list(callbacks),
    )
    for stage in tokenized:
        trainer.train_dataset = stage  # shuffled within the stage, never across stages
        trainer.train()
    return trainer
