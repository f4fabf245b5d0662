"""Alternative: encode without padding, then tokenizer.pad() the features, with a pad token lent to
a copy of the tokenizer."""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch
from transformers import PreTrainedTokenizerBase


def pad_batch(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    *,
    max_length: int | None = None,
    pad_to_multiple_of: int | None = None,
) -> dict[str, torch.Tensor]:
    if not texts or (max_length is not None and max_length <= 0):
        raise ValueError("need texts, and a max_length of at least 1")
    if pad_to_multiple_of is not None and pad_to_multiple_of <= 0:
        raise ValueError("pad_to_multiple_of must be positive")
    tokenizer = copy.deepcopy(tokenizer)
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    features = [tokenizer(text, truncation=max_length is not None, max_length=max_length) for text in texts]
    return dict(
        tokenizer.pad(features, padding="longest", pad_to_multiple_of=pad_to_multiple_of, return_tensors="pt")
    )
