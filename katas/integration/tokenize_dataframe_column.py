"""Kata: tokenize a text column of a pandas DataFrame (seed question 169).

Run the checks with:  pytest --katas tokenize_dataframe_column
"""

from __future__ import annotations

import pandas as pd
from transformers import BatchEncoding, PreTrainedTokenizerBase


def tokenize_dataframe_column(
    df: pd.DataFrame,
    tokenizer: PreTrainedTokenizerBase,
    column: str = "text",
    *,
    max_length: int | None = None,
) -> BatchEncoding:
    """Tokenize the texts of one DataFrame column into a padded batch of PyTorch tensors.

    The result equals ``tokenizer(texts, padding=True, return_tensors="pt")`` for the column's
    texts as a list, in row order (whatever the index labels are), truncated to ``max_length``
    tokens when it is given (``truncation=True, max_length=max_length``). Every row counts,
    repeated and empty texts too, each text as it is (case and spaces included); ``df`` itself
    is left unchanged.

    Args:
        df: the DataFrame.
        tokenizer: the tokenizer (it has a pad token).
        column: the name of the column that holds the texts.
        max_length: truncate every text to at most this many tokens (padding still goes to the
            longest text only); None keeps them whole, however long.

    Returns:
        The ``BatchEncoding`` (``input_ids``, ``attention_mask``, ... as tensors), one row per
        DataFrame row.

    Raises:
        ValueError: if ``df`` has no column ``column`` (the message names it and lists the
            columns there are), or if the column has missing values (None, NaN, pd.NA; the
            message names the column and the index labels of those rows).
        TypeError: if the column holds values that are not strings (the message names the
            column).
    """
    # TODO: check the column and its values, then tokenize them as a list.
    raise NotImplementedError
