"""Alternative: pad by hand with torch, without touching the tokenizer."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedTokenizerBase


def collate_for_causal_lm(
    tokenizer: PreTrainedTokenizerBase,
    features: Sequence[Mapping[str, Sequence[int]]],
    *,
    pad_to_multiple_of: int | None = None,
) -> dict[str, torch.Tensor]:
    if len(features) == 0:
        raise ValueError("no features to collate")
    if pad_to_multiple_of is not None and pad_to_multiple_of < 1:
        raise ValueError("pad_to_multiple_of must be positive")
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    if pad_id is None:
        raise ValueError("the tokenizer has no pad or eos token")
    try:
        sequences = [torch.tensor(list(feature["input_ids"]), dtype=torch.long) for feature in features]
    except KeyError:
        raise ValueError("a feature has no input_ids") from None
    length = max(len(ids) for ids in sequences)
    if pad_to_multiple_of:
        length = math.ceil(length / pad_to_multiple_of) * pad_to_multiple_of
    input_ids = torch.full((len(sequences), length), pad_id, dtype=torch.long)
    attention_mask = torch.zeros((len(sequences), length), dtype=torch.long)
    for row, ids in enumerate(sequences):
        where = slice(length - len(ids), length) if tokenizer.padding_side == "left" else slice(0, len(ids))
        input_ids[row, where] = ids
        attention_mask[row, where] = 1
    labels = torch.where(attention_mask.bool(), input_ids, torch.tensor(-100))
    return {"input_ids": input_ids, "attention_mask": attention_mask, "labels": labels}
