"""Decoy for fine_tune: a data set with fewer examples than batch_size is refused, though only an empty one is invalid.

caught_by: test_a_dataset_smaller_than_a_batch_trains_in_one_short_batch
"""

from __future__ import annotations

import os

from datasets import Dataset
from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments


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
    missing = [column for column in ("text", "label") if column not in train_dataset.column_names]
    if missing:
        raise ValueError(f"train_dataset has no {missing} column: it needs 'text' and 'label'")
    if len(train_dataset) == 0:
        raise ValueError("train_dataset is empty")
    if max_steps < 1 or batch_size < 1 or len(train_dataset) < batch_size:  # MISTAKE
        raise ValueError(f"max_steps and batch_size must be at least 1, got {max_steps} and {batch_size}")

    # Tokenize without padding: the Trainer's default collator (DataCollatorWithPadding, chosen
    # because processing_class is a tokenizer) pads each batch to its own longest example. The
    # "text" column stays; the Trainer drops the columns that the model's forward() does not take.
    tokenized = train_dataset.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True)
    args = TrainingArguments(
        output_dir=str(output_dir),
        use_cpu=True,  # was no_cuda=True before transformers 5
        max_steps=max_steps,  # counts optimizer steps and overrides num_train_epochs
        per_device_train_batch_size=batch_size,
        learning_rate=learning_rate,
        logging_steps=1,  # the default (500) would log nothing in a short run
        save_strategy="no",  # the default saves a checkpoint, optimizer state included, at the end
        report_to="none",
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=tokenized,
        # Trainer(tokenizer=...) is gone in transformers 5. The processing class pads the batches
        # and is saved with the model by trainer.save_model().
        processing_class=tokenizer,
    )
    trainer.train()
    return trainer
