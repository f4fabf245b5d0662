"""Decoy for batch_generate: the pre-transformers-5 idiom, which changes the caller's shared tokenizer (its padding
side, and a pad token it did not have).

caught_by: test_the_callers_tokenizer_is_left_unchanged[gpt2]
"""

from __future__ import annotations

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
        tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    texts: list[str] = []
    for start in range(0, len(prompts), batch_size):
        inputs = tokenizer(list(prompts[start : start + batch_size]), return_tensors="pt", padding=True)
        with torch.no_grad():
            outputs = model.generate(
                **inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.pad_token_id
            )
        texts += tokenizer.batch_decode(outputs[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    return texts
