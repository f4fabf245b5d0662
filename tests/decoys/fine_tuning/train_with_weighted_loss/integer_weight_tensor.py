"""Decoy for train_with_weighted_loss: builds the weight tensor with torch.tensor(class_weights), so integer weights give an integer tensor, which F.cross_entropy refuses.

caught_by: test_the_logged_loss_is_the_class_weighted_cross_entropy[integer weights in a tuple]
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch
import torch.nn.functional as F
from datasets import Dataset
from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments


def train_with_weighted_loss(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    train_dataset: Dataset,
    class_weights: Sequence[float],
    output_dir: str | os.PathLike[str],
    *,
    max_steps: int = 10,
    batch_size: int = 8,
    learning_rate: float = 5e-5,
) -> Trainer:
    num_labels = model.config.num_labels
    if len(class_weights) != num_labels:
        raise ValueError(f"expected {num_labels} class weights, one per label, got {len(class_weights)}")
    if any(weight < 0 for weight in class_weights) or sum(class_weights) <= 0:
        raise ValueError(f"class weights must be non-negative and not all 0, got {list(class_weights)}")
    weights = torch.tensor(class_weights)  # MISTAKE: integer weights give an integer tensor

    def weighted_cross_entropy(outputs, labels, num_items_in_batch=None):
        # The Trainer pops the labels before the forward pass (so the model computes no loss of
        # its own) and calls this as compute_loss_func(outputs, labels, num_items_in_batch=...).
        # F.cross_entropy(weight=...) with the default mean reduction divides by the sum of the
        # targets' weights, not by the number of examples (num_items_in_batch). (The Trainer
        # takes a compute_loss_func's result as already normalised over the whole accumulated
        # batch: with gradient_accumulation_steps > 1 it would add these means up, unscaled.)
        logits = outputs.logits
        return F.cross_entropy(logits, labels, weight=weights.to(logits.device))

    tokenized = train_dataset.map(lambda batch: tokenizer(batch["text"], truncation=True), batched=True)
    args = TrainingArguments(
        output_dir=str(output_dir),
        use_cpu=True,
        max_steps=max_steps,
        per_device_train_batch_size=batch_size,
        learning_rate=learning_rate,
        logging_steps=1,
        save_strategy="no",
        report_to="none",
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=args,
        train_dataset=tokenized,
        processing_class=tokenizer,
        compute_loss_func=weighted_cross_entropy,
    )
    trainer.train()
    return trainer
