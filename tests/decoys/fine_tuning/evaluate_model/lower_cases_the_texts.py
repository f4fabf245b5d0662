"""Decoy for evaluate_model: the texts are lower-cased before tokenizing, which changes the ids a cased tokenizer gives.

caught_by: test_a_cased_tokenizer_reads_the_texts_as_they_are
"""

from __future__ import annotations

import os

import numpy as np
from datasets import Dataset
from transformers import EvalPrediction, PreTrainedModel, PreTrainedTokenizerBase, Trainer, TrainingArguments


def evaluate_model(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    eval_dataset: Dataset,
    output_dir: str | os.PathLike[str],
    *,
    batch_size: int = 8,
) -> dict[str, float]:
    missing = [column for column in ("text", "label") if column not in eval_dataset.column_names]
    if missing:
        raise ValueError(f"eval_dataset has no {missing} column: it needs 'text' and 'label'")
    if len(eval_dataset) == 0:
        raise ValueError("eval_dataset is empty: there is nothing to evaluate")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    num_labels = model.config.num_labels

    def compute_metrics(prediction: EvalPrediction) -> dict[str, float]:
        # The Trainer gathers every batch's logits and labels into numpy arrays first, so the
        # metrics are computed once over the whole data set (not averaged over batches).
        predicted = np.argmax(prediction.predictions, axis=-1)
        labels = prediction.label_ids
        f1_per_class = []
        for label in range(num_labels):
            tp = np.sum((predicted == label) & (labels == label))
            wrong = np.sum((predicted == label) != (labels == label))  # false positives + negatives
            f1_per_class.append(2 * tp / (2 * tp + wrong) if tp + wrong else 0.0)
        # No "eval_" here: evaluate() adds the prefix to every key.
        return {"accuracy": float(np.mean(predicted == labels)), "f1": float(np.mean(f1_per_class))}

    tokenized = eval_dataset.map(
        lambda batch: tokenizer([text.lower() for text in batch["text"]], truncation=True), batched=True
    )  # MISTAKE
    args = TrainingArguments(
        output_dir=str(output_dir),
        use_cpu=True,
        per_device_eval_batch_size=batch_size,
        report_to="none",
        disable_tqdm=True,
    )
    trainer = Trainer(
        model=model,
        args=args,
        processing_class=tokenizer,  # pads each batch (DataCollatorWithPadding)
        compute_metrics=compute_metrics,
    )
    # evaluate() switches the model to eval mode (no dropout) and runs under torch.no_grad();
    # eval_loss is the model's own loss, averaged over the examples.
    return trainer.evaluate(eval_dataset=tokenized)
