"""Alternative: input_columns hands the texts straight to the tokenizer; columns removed afterwards."""

from __future__ import annotations

from datasets import Dataset
from transformers import PreTrainedTokenizerBase


def preprocess_dataset(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    text_column: str = "text",
    max_length: int = 128,
) -> Dataset:
    if text_column not in dataset.features:
        raise ValueError(f"unknown column {text_column}")
    if max_length <= 0:
        raise ValueError("max_length must be positive")
    tokenized = dataset.map(
        lambda texts: dict(tokenizer(texts, truncation=True, max_length=max_length)),
        batched=True,
        batch_size=16,
        input_columns=[text_column],
    )
    return tokenized.remove_columns(text_column)
