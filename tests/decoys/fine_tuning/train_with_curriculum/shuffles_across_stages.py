"""Decoy for train_with_curriculum: it concatenates the stages but keeps the Trainer's default random sampler, which mixes them.

caught_by: test_the_stages_are_trained_in_order_each_example_once
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
    if not stages:
        raise ValueError("the curriculum has no stages")
    for number, stage in enumerate(stages):
        missing = [column for column in ("text", "label") if column not in stage.column_names]
        if missing:
            raise ValueError(f"stage {number} has no {missing} column: each stage needs 'text' and 'label'")
        if len(stage) == 0:
            raise ValueError(f"stage {number} is empty")

    # Shuffle inside each stage (seeded), then lay the stages end to end, easiest first.
    curriculum = concatenate_datasets(
        [stage.select_columns(["text", "label"]).shuffle(seed=number) for number, stage in enumerate(stages)]
    )
    tokenized = curriculum.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True)
    args = TrainingArguments(
        output_dir=str(output_dir),
        use_cpu=True,
        num_train_epochs=1,  # one pass: every example once
        per_device_train_batch_size=batch_size,
        learning_rate=learning_rate,
        # The Trainer's default sampler shuffles the whole training set, which would mix the
        # stages: read it in order instead (a transformers 5 setting).
        # MISTAKE: the default sampler shuffles the whole curriculum
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        disable_tqdm=True,
    )
    # One run over the whole curriculum: one optimizer and one learning-rate schedule, with the
    # callbacks following every step of it.
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=tokenized,
        processing_class=tokenizer,
        callbacks=list(callbacks),
    )
    trainer.train()
    return trainer
