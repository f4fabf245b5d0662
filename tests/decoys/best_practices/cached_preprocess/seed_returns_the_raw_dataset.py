"""Decoy for cached_preprocess: like the seed it returns load_dataset(path, cache_dir=...) untokenized, as a DatasetDict.

caught_by: test_every_row_is_tokenized_and_truncated
"""

from __future__ import annotations

import os

from datasets import Dataset, load_dataset
from transformers import PreTrainedTokenizerBase


def cached_preprocess(
    csv_path: str | os.PathLike[str],
    tokenizer: PreTrainedTokenizerBase,
    cache_dir: str | os.PathLike[str],
    *,
    text_column: str = "text",
    max_length: int = 128,
) -> Dataset:
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    dataset = load_dataset("csv", data_files=os.fspath(csv_path), cache_dir=os.fspath(cache_dir))
    if text_column not in dataset["train"].column_names:
        raise ValueError(f"no column {text_column!r} in {csv_path}")
    return dataset  # MISTAKE: a DatasetDict, and nothing is tokenized
