"""Decoy for train_with_curriculum: it never checks the stages, so an empty curriculum or a stage without labels slips through or fails obscurely.

caught_by: test_a_bad_curriculum_raises_value_error
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
    # MISTAKE: no checks of the stages

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
        train_sampling_strategy="sequential",
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
