"""Decoy for pad_dynamically: it rounds the length up as L + m - L % m, which adds a whole block of padding when the longest row already is a multiple of m.

caught_by: test_pad_to_multiple_of_rounds_the_lengths_up
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
        length = max(len(ids) for ids in features["input_ids"])
        if pad_to_multiple_of:
            length += pad_to_multiple_of - length % pad_to_multiple_of  # MISTAKE: 16 becomes 24 for m=8
        batch = tokenizer.pad(features, padding="max_length", max_length=length, return_tensors="pt")
        for name in ("label", "labels"):
            if name in rows.column_names:
                batch["labels"] = torch.tensor(list(rows[name]))
        batches.append(batch)
    return batches
