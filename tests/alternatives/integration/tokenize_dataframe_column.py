"""Alternative: validate with pd.isna and a type check per value, tokenize unpadded, then tokenizer.pad."""

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
    if column not in df:
        raise ValueError(f"no column {column!r} among {df.columns.tolist()}")
    texts = df[column].to_numpy().tolist()
    labels = df.index.tolist()
    missing = [label for label, text in zip(labels, texts, strict=True) if pd.isna(text)]
    if missing:
        raise ValueError(f"missing values in column {column!r} at {missing}")
    wrong = [label for label, text in zip(labels, texts, strict=True) if not isinstance(text, str)]
    if wrong:
        raise TypeError(f"column {column!r}: not strings at {wrong}")
    if max_length is None:
        encoded = tokenizer(texts)
    else:
        encoded = tokenizer(texts, truncation=True, max_length=max_length)
    return tokenizer.pad(encoded, padding=True, return_tensors="pt")
