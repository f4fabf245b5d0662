"""Decoy for pad_batch: truncates even when max_length is None, so a long text is cut to the tokenizer's model_max_length.

caught_by: test_without_max_length_a_text_longer_than_the_model_reads_is_kept_whole
"""

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
    if len(texts) == 0:
        raise ValueError("texts is empty: there is no batch to pad")
    for name, value in (("max_length", max_length), ("pad_to_multiple_of", pad_to_multiple_of)):
        if value is not None and value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    if tokenizer.pad_token is None:
        # Pad with end-of-sequence (the attention mask hides it), on a copy: the caller's
        # tokenizer keeps having no pad token.
        tokenizer = copy.deepcopy(tokenizer)
        tokenizer.pad_token = tokenizer.eos_token
    # Cut first, then pad: padding=True is "longest", the batch's own longest text (padding=
    # "max_length" would pad every batch to max_length, however short its texts), rounded up to
    # pad_to_multiple_of. Two steps, because one call refuses a max_length that is not a multiple.
    encoded = tokenizer(list(texts), truncation=True, max_length=max_length)  # MISTAKE
    batch = tokenizer.pad(encoded, padding=True, pad_to_multiple_of=pad_to_multiple_of, return_tensors="pt")
    return dict(batch)
