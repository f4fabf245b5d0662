"""Decoy for evaluate_model: its hand-written loop never calls model.eval(), so dropout stays on for a model in training mode.

caught_by: test_a_model_in_training_mode_is_evaluated_without_dropout_and_left_unchanged
"""

from __future__ import annotations

import os

import torch
import torch.nn.functional as F
from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import DataCollatorWithPadding, PreTrainedModel, PreTrainedTokenizerBase


def evaluate_model(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    eval_dataset: Dataset,
    output_dir: str | os.PathLike[str],
    *,
    batch_size: int = 8,
) -> dict[str, float]:
    for column in ("text", "label"):
        if column not in eval_dataset.column_names:
            raise ValueError(f"eval_dataset needs a {column!r} column")
    if len(eval_dataset) == 0 or batch_size < 1:
        raise ValueError("nothing to evaluate: an empty data set or a batch_size below 1")
    features = eval_dataset.map(
        lambda batch: tokenizer(batch["text"], truncation=True), batched=True, remove_columns=["text"]
    )
    loader = DataLoader(features, batch_size=batch_size, collate_fn=DataCollatorWithPadding(tokenizer))
    # MISTAKE: no model.eval()
    total_loss, predictions, labels = 0.0, [], []
    with torch.no_grad():
        for batch in loader:
            target = batch.pop("labels")
            logits = model(**batch).logits
            total_loss += float(F.cross_entropy(logits, target, reduction="sum"))
            predictions.append(logits.argmax(dim=-1))
            labels.append(target)
    predicted, target = torch.cat(predictions), torch.cat(labels)
    scores = []
    for label in range(model.config.num_labels):
        tp = ((predicted == label) & (target == label)).sum().item()
        fp = ((predicted == label) & (target != label)).sum().item()
        fn = ((predicted != label) & (target == label)).sum().item()
        scores.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return {
        "eval_loss": total_loss / len(target),
        "eval_accuracy": (predicted == target).float().mean().item(),
        "eval_f1": sum(scores) / len(scores),
    }
