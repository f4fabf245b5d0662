"""Decoy for collate_for_causal_lm: it looks for input_ids in the first example only, so a later example without them is not refused.

caught_by: test_bad_input_raises_value_error[a later example without input_ids]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedTokenizerBase


def collate_for_causal_lm(
    tokenizer: PreTrainedTokenizerBase,
    features: Sequence[Mapping[str, Sequence[int]]],
    *,
    pad_to_multiple_of: int | None = None,
) -> dict[str, torch.Tensor]:
    if not features:
        raise ValueError("features is empty: there is nothing to collate")
    if "input_ids" not in features[0]:  # MISTAKE: the other examples are not checked
        raise ValueError("every feature needs 'input_ids' (tokenize the texts first)")
    if pad_to_multiple_of is not None and pad_to_multiple_of < 1:
        raise ValueError(f"pad_to_multiple_of must be at least 1, got {pad_to_multiple_of}")
    if tokenizer.pad_token is None:
        if tokenizer.eos_token is None:
            raise ValueError("the tokenizer has neither a pad token nor an eos token to pad with")
        tokenizer.pad_token = tokenizer.eos_token  # the usual choice for GPT-2-style tokenizers

    # tokenizer.pad() pads to the longest example on tokenizer.padding_side and builds the mask.
    batch = tokenizer.pad(
        [
            {key: list(feature[key]) for key in ("input_ids", "attention_mask") if key in feature}
            for feature in features
        ],
        padding=True,
        pad_to_multiple_of=pad_to_multiple_of,
        return_tensors="pt",
    )
    # Mark the padding from the attention mask, not by comparing ids with pad_token_id: the pad
    # token is the eos token here, and a real eos at the end of a text must stay a target, or
    # the model never learns to stop. (DataCollatorForLanguageModeling(mlm=False) does the
    # latter and silences every eos.) No shift: the model shifts the labels itself.
    labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    return {"input_ids": batch["input_ids"], "attention_mask": batch["attention_mask"], "labels": labels}
