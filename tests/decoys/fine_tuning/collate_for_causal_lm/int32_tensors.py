"""Decoy for collate_for_causal_lm: builds int32 tensors (numpy's default on some platforms, or an explicit dtype=torch.int), where the contract says torch.long.

caught_by: test_right_padding_gives_pad_ids_a_mask_and_labels_of_minus_100
"""

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
    if not features or any("input_ids" not in feature for feature in features):
        raise ValueError("nothing to collate")
    if pad_to_multiple_of is not None and pad_to_multiple_of < 1:
        raise ValueError("pad_to_multiple_of must be at least 1")
    if tokenizer.pad_token is None and tokenizer.eos_token is None:
        raise ValueError("no pad or eos token")
    length = max(len(feature["input_ids"]) for feature in features)
    if pad_to_multiple_of:
        length = math.ceil(length / pad_to_multiple_of) * pad_to_multiple_of
    rows, masks, labels = [], [], []
    for feature in features:
        ids = list(feature["input_ids"])
        padding = [
            tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
        ] * (length - len(ids))
        if tokenizer.padding_side == "left":
            rows.append(padding + ids)
            masks.append([0] * len(padding) + [1] * len(ids))
            labels.append([-100] * len(padding) + ids)
        else:
            rows.append(ids + padding)
            masks.append([1] * len(ids) + [0] * len(padding))
            labels.append(ids + [-100] * len(padding))
    return {
        key: torch.tensor(value, dtype=torch.int32)
        for key, value in (("input_ids", rows), ("attention_mask", masks), ("labels", labels))
    }
