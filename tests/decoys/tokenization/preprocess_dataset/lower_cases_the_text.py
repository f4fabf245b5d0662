"""Decoy for preprocess_dataset: "normalises" every text (strip and lower-case) before tokenizing, which a cased tokenizer then sees as other tokens.

caught_by: test_each_row_holds_its_tokens_truncated_and_not_padded[cased, empty and duplicated rows]
"""

from __future__ import annotations

from typing import Any

from datasets import Dataset
from transformers import PreTrainedTokenizerBase


def preprocess_dataset(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    text_column: str = "text",
    max_length: int = 128,
) -> Dataset:
    if text_column not in dataset.column_names:
        raise ValueError(f"no column {text_column!r} in the dataset; its columns are {dataset.column_names}")
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")

    def tokenize(batch: dict[str, list[Any]]) -> dict[str, Any]:
        # No padding here: rows keep their own lengths and a DataCollatorWithPadding pads each
        # batch to its own longest row at training time, which wastes far less compute than
        # padding every row to max_length.
        texts = [text.strip().lower() for text in batch[text_column]]  # MISTAKE: "normalises" the text
        return tokenizer(texts, truncation=True, max_length=max_length)

    # batched=True hands tokenize 1000 rows at a time (a dict of lists): one call of the fast
    # tokenizer per batch instead of one per row. remove_columns drops the raw text, which a
    # collator could not turn into a tensor, and keeps label and every other column.
    return dataset.map(tokenize, batched=True, remove_columns=[text_column])
