"""Alternative: scikit-learn's balanced class weights and a Trainer subclass overriding compute_loss."""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from datasets import Dataset
from sklearn.utils.class_weight import compute_class_weight
from transformers import PreTrainedModel, Trainer, TrainingArguments


class WeightedLossTrainer(Trainer):
    # compute_loss returns the mean over its micro-batch: the Trainer divides it by the number
    # of gradient accumulation steps.
    loss_is_scaled_for_ga = False

    def __init__(self, *args: Any, class_weights: torch.Tensor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.class_weights = class_weights

    def compute_loss(
        self,
        model: Any,
        inputs: dict[str, Any],
        return_outputs: bool = False,
        num_items_in_batch: torch.Tensor | int | None = None,
    ) -> Any:
        labels = inputs.pop("labels")
        outputs = model(**inputs)
        per_example = F.cross_entropy(outputs.logits, labels, reduction="none")
        loss = (self.class_weights.to(labels.device)[labels] * per_example).mean()
        return (loss, outputs) if return_outputs else loss


def reweight_by_label(
    model: PreTrainedModel,
    args: TrainingArguments,
    train_dataset: Dataset,
) -> Trainer:
    if "labels" not in train_dataset.column_names:
        raise ValueError("train_dataset has no labels column")
    labels = np.array(train_dataset["labels"])
    classes = np.arange(model.config.num_labels)
    # "balanced" is n_samples / (n_classes * bincount(y)); it raises ValueError for labels
    # outside classes and for classes that never occur.
    weights = compute_class_weight("balanced", classes=classes, y=labels)
    return WeightedLossTrainer(
        model=model,
        args=args,
        train_dataset=train_dataset,
        class_weights=torch.tensor(weights, dtype=torch.float32),
    )
