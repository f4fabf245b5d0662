"""Alternative: a Trainer subclass that overrides compute_loss with the weighted loss."""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch
from datasets import Dataset
from transformers import PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments


class WeightedLossTrainer(Trainer):
    def __init__(self, *args, class_weights: torch.Tensor, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.class_weights = class_weights

    def compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None):
        labels = inputs.pop("labels")
        outputs = model(**inputs)  # no labels: the model computes no loss of its own
        weight = self.class_weights.to(outputs.logits.device, outputs.logits.dtype)
        loss_fn = torch.nn.CrossEntropyLoss(weight=weight)
        loss = loss_fn(outputs.logits.view(-1, self.model.config.num_labels), labels.view(-1))
        return (loss, outputs) if return_outputs else loss


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
    weights = torch.as_tensor(class_weights, dtype=torch.float32)
    if weights.shape != (model.config.num_labels,):
        raise ValueError(f"need {model.config.num_labels} class weights")
    if (weights < 0).any() or weights.sum() == 0:
        raise ValueError("class weights must be >= 0 with a positive sum")
    encoded = train_dataset.map(lambda row: tokenizer(row["text"], truncation=True))
    trainer = WeightedLossTrainer(
        model=model,
        args=TrainingArguments(
            output_dir=os.fspath(output_dir),
            use_cpu=True,
            max_steps=max_steps,
            per_device_train_batch_size=batch_size,
            learning_rate=learning_rate,
            logging_steps=1,
            save_strategy="no",
            report_to="none",
            disable_tqdm=True,
        ),
        train_dataset=encoded,
        processing_class=tokenizer,
        class_weights=weights,
    )
    trainer.train()
    return trainer
