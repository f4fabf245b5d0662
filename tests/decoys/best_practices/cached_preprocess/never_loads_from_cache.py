"""Decoy for cached_preprocess: passes load_from_cache_file=False, so every call tokenizes and rewrites the cache file.

caught_by: test_a_second_call_reuses_the_cached_result
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
    # The "csv" builder converts the file to Arrow under cache_dir once; its cache key includes
    # the file's path and modification time, so an edited file is read again.
    dataset = load_dataset(
        "csv", data_files=os.fspath(csv_path), cache_dir=os.fspath(cache_dir), split="train"
    )
    if text_column not in dataset.column_names:
        raise ValueError(f"no column {text_column!r} in {csv_path}; columns: {dataset.column_names}")
    # map() on a file-backed dataset writes its result next to the dataset's files, named by a
    # fingerprint of the input and of the function (the tokenizer, text_column and max_length it
    # uses are hashed with it). The same call again finds that file and loads it instead of
    # tokenizing; load_from_cache_file=False would defeat exactly this.
    return dataset.map(
        lambda batch: tokenizer(batch[text_column], truncation=True, max_length=max_length),
        batched=True,
        load_from_cache_file=False,  # MISTAKE
        desc="Tokenizing",
    )
