"""Decoy for tokenize_dataframe_column: it resets the index of the caller's DataFrame in place.

caught_by: test_a_filtered_frame_keeps_its_row_order_and_the_named_column
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
    if column not in df.columns:
        raise ValueError(f"the DataFrame has no column {column!r}; its columns are {list(df.columns)}")
    df.reset_index(drop=True, inplace=True)  # MISTAKE: changes the caller's DataFrame
    series = df[column]
    # isna() catches None, float NaN and pd.NA alike. astype(str) would hide them as "nan".
    missing = series.isna()
    if missing.any():
        raise ValueError(f"column {column!r} has missing values at index {series.index[missing].tolist()}")
    not_text = series.map(lambda value: not isinstance(value, str))
    if not_text.any():
        rows = series.index[not_text].tolist()
        raise TypeError(f"column {column!r} holds values that are not strings at index {rows}")
    # tolist() keeps the row order whatever the index labels are (a filtered DataFrame keeps
    # its old labels: series[i] would look a label up, not a position).
    return tokenizer(
        series.tolist(),
        padding=True,
        truncation=max_length is not None,
        max_length=max_length,
        return_tensors="pt",
    )
