"""Decoy for collate_for_causal_lm: the seed's DataCollatorForLanguageModeling(mlm=False) labels every eos -100 when the pad token is eos.

caught_by: test_right_padding_gives_pad_ids_a_mask_and_labels_of_minus_100
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from transformers import DataCollatorForLanguageModeling, PreTrainedTokenizerBase


def collate_for_causal_lm(
    tokenizer: PreTrainedTokenizerBase,
    features: Sequence[Mapping[str, Sequence[int]]],
    *,
    pad_to_multiple_of: int | None = None,
) -> dict[str, torch.Tensor]:
    if not features:
        raise ValueError("features is empty: there is nothing to collate")
    if any("input_ids" not in feature for feature in features):
        raise ValueError("every feature needs 'input_ids' (tokenize the texts first)")
    if pad_to_multiple_of is not None and pad_to_multiple_of < 1:
        raise ValueError(f"pad_to_multiple_of must be at least 1, got {pad_to_multiple_of}")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    # MISTAKE (the seed's collator): with mlm=False it labels every pad_token_id -100, and the pad
    # token is the eos token, so the real eos at the end of each text is never a target.
    collator = DataCollatorForLanguageModeling(
        tokenizer=tokenizer, mlm=False, pad_to_multiple_of=pad_to_multiple_of
    )
    return dict(collator([dict(feature) for feature in features]))
