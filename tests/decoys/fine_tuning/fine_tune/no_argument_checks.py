"""Decoy for fine_tune: it never checks its arguments, so a missing label column or zero steps slips through or fails obscurely.

caught_by: test_a_missing_column_raises_value_error_naming_it
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
    # MISTAKE: no checks of the columns, the size or the settings
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
