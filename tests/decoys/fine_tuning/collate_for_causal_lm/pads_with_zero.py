"""Decoy for collate_for_causal_lm: pads by hand with id 0 (a common default), which is the pad token only when the tokenizer happens to put it there.

caught_by: test_a_tokenizer_with_a_pad_token_pads_with_it[llama]
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
        padding = [0] * (length - len(ids))
        if tokenizer.padding_side == "left":
            rows.append(padding + ids)
            masks.append([0] * len(padding) + [1] * len(ids))
            labels.append([-100] * len(padding) + ids)
        else:
            rows.append(ids + padding)
            masks.append([1] * len(ids) + [0] * len(padding))
            labels.append(ids + [-100] * len(padding))
    return {
        "input_ids": torch.tensor(rows),
        "attention_mask": torch.tensor(masks),
        "labels": torch.tensor(labels),
    }
