"""Decoy for pad_dynamically: it builds the labels with torch.Tensor, which makes float32 class ids that cross-entropy cannot take.

caught_by: test_each_batch_is_padded_to_its_own_longest_row
"""

from __future__ import annotations

import torch
from datasets import Dataset
from transformers import BatchEncoding, PreTrainedTokenizerBase


def pad_dynamically(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    batch_size: int = 8,
    pad_to_multiple_of: int | None = None,
) -> list[BatchEncoding]:
    if batch_size <= 0 or "input_ids" not in dataset.column_names or tokenizer.pad_token_id is None:
        raise ValueError("need batch_size >= 1, an input_ids column and a pad token")
    inputs = [name for name in tokenizer.model_input_names if name in dataset.column_names]
    batches = []
    for start in range(0, len(dataset), batch_size):
        rows = dataset.select(range(start, min(start + batch_size, len(dataset))))
        features = {name: list(rows[name]) for name in inputs}
        batch = tokenizer.pad(
            features, padding=True, pad_to_multiple_of=pad_to_multiple_of, return_tensors="pt"
        )
        for name in ("label", "labels"):
            if name in rows.column_names:
                batch["labels"] = torch.Tensor(list(rows[name]))  # MISTAKE: float32 labels
        batches.append(batch)
    return batches
