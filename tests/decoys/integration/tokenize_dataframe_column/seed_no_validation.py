"""Decoy for tokenize_dataframe_column: like the seed it tokenizes df[column].tolist() with no checks: a missing column or value gives a cryptic error.

caught_by: test_a_missing_column_is_named_in_a_value_error
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
    series = df[column]  # MISTAKE: no validation
    # tolist() keeps the row order whatever the index labels are (a filtered DataFrame keeps
    # its old labels: series[i] would look a label up, not a position).
    return tokenizer(
        series.tolist(),
        padding=True,
        truncation=max_length is not None,
        max_length=max_length,
        return_tensors="pt",
    )
