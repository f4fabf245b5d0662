"""Decoy for pad_dynamically: it pads by hand with zeros on the right, ignoring the tokenizer's pad id and padding side.

caught_by: test_padding_uses_the_pad_id_on_the_tokenizers_side
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
    import math

    import torch

    rows = dataset.select_columns(keep)
    batches = []
    for start in range(0, len(rows), batch_size):
        chunk = rows.select(range(start, min(start + batch_size, len(rows))))
        length = max(len(ids) for ids in chunk["input_ids"])
        if pad_to_multiple_of:
            length = math.ceil(length / pad_to_multiple_of) * pad_to_multiple_of
        batch = {}
        for name in keep:
            values = list(chunk[name])
            if name in ("label", "labels"):
                batch["labels"] = torch.tensor(values)
            else:
                batch[name] = torch.tensor([v + [0] * (length - len(v)) for v in values])  # MISTAKE
        batches.append(BatchEncoding(batch))
    return batches
