"""Decoy for reweight_by_label: it takes the number of classes from the labels present in the dataset, not from model.config.num_labels, so a class of the model without examples goes unnoticed.

caught_by: test_labels_that_give_no_weight_raise_value_error
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from datasets import Dataset
from transformers import PreTrainedModel, Trainer, TrainingArguments
from transformers.modeling_outputs import SequenceClassifierOutput


def reweight_by_label(
    model: PreTrainedModel,
    args: TrainingArguments,
    train_dataset: Dataset,
) -> Trainer:
    if "labels" not in train_dataset.column_names:
        raise ValueError(f"train_dataset needs a 'labels' column; it has {train_dataset.column_names}")
    num_labels = len(set(train_dataset["labels"]))  # MISTAKE: the model may have more classes
    labels = torch.as_tensor(list(train_dataset["labels"]), dtype=torch.long)
    if labels.numel() == 0 or labels.min() < 0 or labels.max() >= num_labels:
        raise ValueError(f"labels must lie in [0, {num_labels}) for a {num_labels}-label model")
    counts = torch.bincount(labels, minlength=num_labels)
    if (counts == 0).any():
        missing = torch.nonzero(counts == 0).flatten().tolist()
        raise ValueError(f"labels {missing} have no training example: their weight would be infinite")
    # "Balanced" weights: n / (k * n_c). A rare class weighs more, and the average weight over
    # the training set is 1, so the loss keeps the scale of the plain cross-entropy.
    class_weights = len(labels) / (num_labels * counts.to(torch.float32))

    def weighted_cross_entropy(
        outputs: SequenceClassifierOutput,
        labels: torch.Tensor,
        num_items_in_batch: torch.Tensor | int | None = None,
    ) -> torch.Tensor:
        logits = outputs.logits
        per_example = F.cross_entropy(logits.view(-1, num_labels), labels.view(-1), reduction="none")
        weighted = class_weights.to(logits.device)[labels.view(-1)] * per_example
        # With gradient accumulation the Trainer passes the number of examples in the whole
        # accumulated batch and does NOT divide the loss by the accumulation steps itself:
        # a per-micro-batch mean would count every step's gradient once per micro-batch.
        if num_items_in_batch is not None:
            return weighted.sum() / num_items_in_batch
        return weighted.mean()

    # compute_loss_func receives the model outputs and the labels the Trainer popped from the
    # batch: the weights are applied inside the training loop, not stored in a column that
    # remove_unused_columns would silently drop.
    return Trainer(
        model=model,
        args=args,
        train_dataset=train_dataset,
        compute_loss_func=weighted_cross_entropy,
    )
