"""Decoy for pad_dynamically: it pads by hand only the columns the dataset has, so a dataset without attention_mask gives batches without one.

caught_by: test_an_attention_mask_is_made_when_the_dataset_has_none
"""

from __future__ import annotations

import math

import torch
from datasets import Dataset
from transformers import BatchEncoding, PreTrainedTokenizerBase


def pad_dynamically(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    batch_size: int = 8,
    pad_to_multiple_of: int | None = None,
) -> list[BatchEncoding]:
    if batch_size < 1 or "input_ids" not in dataset.column_names or tokenizer.pad_token_id is None:
        raise ValueError("need batch_size >= 1, an input_ids column and a pad token")
    inputs = [name for name in tokenizer.model_input_names if name in dataset.column_names]
    pad_values = {"input_ids": tokenizer.pad_token_id}
    batches = []
    for start in range(0, len(dataset), batch_size):
        rows = dataset[start : start + batch_size]
        length = max(len(ids) for ids in rows["input_ids"])
        if pad_to_multiple_of:
            length = math.ceil(length / pad_to_multiple_of) * pad_to_multiple_of
        batch = {}
        for name in inputs:  # MISTAKE: no attention_mask made when the dataset has none
            padded = []
            for values in rows[name]:
                fill = [pad_values.get(name, 0)] * (length - len(values))
                padded.append(fill + values if tokenizer.padding_side == "left" else values + fill)
            batch[name] = torch.tensor(padded)
        for name in ("label", "labels"):
            if name in rows:
                batch["labels"] = torch.tensor(rows[name])
        batches.append(BatchEncoding(batch))
    return batches
