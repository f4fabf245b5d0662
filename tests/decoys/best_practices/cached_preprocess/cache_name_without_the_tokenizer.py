"""Decoy for cached_preprocess: names its own cache file after the loaded table, the column and max_length, but not the tokenizer, so another tokenizer on the same file gets the first one's ids.

caught_by: test_other_arguments_or_an_edited_file_are_computed_again
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
        desc="Tokenizing",
        # MISTAKE: a name of its own, keyed on the file and max_length but not on the tokenizer
        cache_file_name=os.path.join(
            os.fspath(cache_dir), f"tokenized-{dataset._fingerprint}-{text_column}-{max_length}.arrow"
        ),
    )
