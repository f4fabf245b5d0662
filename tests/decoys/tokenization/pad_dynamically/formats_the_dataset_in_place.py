"""Decoy for pad_dynamically: it calls set_format on the caller's dataset, which changes the dataset in place instead of working on a copy.

caught_by: test_the_dataset_and_the_tokenizer_are_left_unchanged
"""

from __future__ import annotations

from datasets import Dataset
from torch.utils.data import DataLoader
from transformers import BatchEncoding, DataCollatorWithPadding, PreTrainedTokenizerBase


def pad_dynamically(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    batch_size: int = 8,
    pad_to_multiple_of: int | None = None,
) -> list[BatchEncoding]:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if "input_ids" not in dataset.column_names:
        raise ValueError(f"the dataset is not tokenized: no input_ids among {dataset.column_names}")
    if tokenizer.pad_token is None:
        raise ValueError(
            "the tokenizer has no pad token: set one, e.g. tokenizer.pad_token = tokenizer.eos_token"
        )

    # The collator turns every column it gets into a tensor: strings such as a text column
    # cannot become one, so keep only what the model takes, plus the labels.
    keep = [c for c in dataset.column_names if c in {*tokenizer.model_input_names, "label", "labels"}]
    # DataCollatorWithPadding takes a *list of rows* (feature dicts), not a Dataset, and pads
    # them to the longest row of that list, on the tokenizer's padding side, with its pad id.
    # It also renames "label" to "labels", the name the models' forward() expects.
    collator = DataCollatorWithPadding(tokenizer, pad_to_multiple_of=pad_to_multiple_of, return_tensors="pt")
    # A DataLoader hands the collator lists of batch_size rows, in order (shuffle=False).
    dataset.set_format(type="torch", columns=keep)  # MISTAKE: changes the caller's dataset
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False, collate_fn=collator)
    return list(loader)
