"""Kata: preprocess a dataset for Transformers (seed question 25).

Run the checks with:  pytest --katas preprocess_dataset
"""

from __future__ import annotations

from datasets import Dataset
from transformers import PreTrainedTokenizerBase


def preprocess_dataset(
    dataset: Dataset,
    tokenizer: PreTrainedTokenizerBase,
    text_column: str = "text",
    max_length: int = 128,
) -> Dataset:
    """Tokenize a text dataset so that a model (and a data collator) can consume it.

    Args:
        dataset: a ``datasets.Dataset`` with a column of strings and possibly other columns
            (a ``label``, an ``id``, ...).
        tokenizer: the tokenizer of the model that will read the data.
        text_column: the name of the column that holds the texts.
        max_length: the most tokens a row may keep, special tokens included.

    Returns:
        A new Dataset with one row per input row, in the same order: the tokenizer's outputs
        (``input_ids``, ``attention_mask`` and whatever else the tokenizer returns) for each text,
        truncated to ``max_length`` tokens but *not padded* (each row keeps its own length:
        padding is done per batch, later, by a data collator). The text column is removed; every
        other column is kept as it was. Tokenize in batches (``tokenizer`` receives lists of
        texts, not one text at a time): it is many times faster on real datasets.

    Raises:
        ValueError: if ``text_column`` is not a column of ``dataset``, or ``max_length`` < 1.
    """
    # TODO: map the tokenizer over the dataset in batches, truncating and removing the text column.
    raise NotImplementedError
