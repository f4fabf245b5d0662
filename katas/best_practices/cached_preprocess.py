"""Kata: preprocess a dataset once and reuse the cached result (seed question 139).

Run the checks with:  pytest --katas cached_preprocess
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
    """Load a CSV file and tokenize it, caching both steps on disk under ``cache_dir``.

    Args:
        csv_path: a CSV file with a header row, one example per row.
        tokenizer: the tokenizer to apply to ``text_column``.
        cache_dir: the folder for every cached file (the loaded table and the tokenized result).
        text_column: the column holding the text.
        max_length: truncate every text to at most this many tokens (no padding: a data
            collator pads each batch later).

    Returns:
        A ``Dataset`` with the CSV's rows and columns plus the tokenizer's columns
        (``input_ids``, ``attention_mask``, ...), backed by files under ``cache_dir``. A second
        call with the same arguments loads that cached result: it does not tokenize again and
        writes no file. A call with other arguments (another ``max_length``, a changed CSV file)
        computes and caches a new result.

    Raises:
        ValueError: if ``text_column`` is not a column of the file (the message names it), or
            if ``max_length`` is less than 1.
    """
    # TODO: load the CSV with a cache folder, check the column, tokenize with a cached map.
    raise NotImplementedError
