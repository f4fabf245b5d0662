"""Decoy for batch_generate: decodes the new tokens with their special tokens, so a row that ended early carries its
</s> and the padding after it.

caught_by: test_rows_that_end_early_give_only_their_text
"""

from __future__ import annotations

import copy
from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def batch_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 20,
    batch_size: int = 8,
) -> list[str]:
    if batch_size < 1 or max_new_tokens < 1 or not all(prompts):
        raise ValueError("bad arguments")
    if tokenizer.pad_token is None:
        tokenizer = copy.deepcopy(tokenizer)
        tokenizer.pad_token = tokenizer.eos_token
    texts: list[str] = []
    for start in range(0, len(prompts), batch_size):
        batch = list(prompts[start : start + batch_size])
        inputs = tokenizer(batch, return_tensors="pt", padding=True, padding_side="left")
        with torch.no_grad():
            outputs = model.generate(
                **inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
            )
        texts += tokenizer.batch_decode(outputs[:, inputs["input_ids"].shape[1] :])
    return texts
