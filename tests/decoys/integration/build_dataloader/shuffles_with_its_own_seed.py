"""Decoy for build_dataloader: shuffles with a generator seeded once and for all, so torch's seed does not decide the order.

caught_by: test_batches_of_one_and_shuffled_rows
"""

from __future__ import annotations

import copy

import torch
from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import DataCollatorWithPadding, PreTrainedTokenizerBase


def build_dataloader(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    *,
    text_column: str = "text",
    batch_size: int = 8,
    shuffle: bool = False,
) -> DataLoader:
    if text_column not in dataset.column_names:
        raise ValueError(f"no column {text_column!r}; the dataset has {dataset.column_names}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if tokenizer.pad_token is None:
        tokenizer = copy.deepcopy(tokenizer)  # the caller's tokenizer keeps having no pad token
        tokenizer.pad_token = tokenizer.eos_token
    keep = {"label"}
    # No padding here: each batch is padded to its own longest row by the collator.
    tokenized = dataset.map(
        lambda batch: tokenizer(batch[text_column], truncation=True),
        batched=True,
        remove_columns=[name for name in dataset.column_names if name not in keep],
    )
    tokenized.set_format("torch")  # on the new dataset: the caller's keeps its format
    # The collator pads input_ids with the pad id and attention_mask with 0, and renames
    # "label" to "labels", the name a model's forward takes.
    collator = DataCollatorWithPadding(tokenizer)
    # MISTAKE: a generator of its own, so torch's seed no longer decides the order
    generator = torch.Generator().manual_seed(0)
    return DataLoader(
        tokenized, batch_size=batch_size, shuffle=shuffle, collate_fn=collator, generator=generator
    )
