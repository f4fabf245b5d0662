"""Alternative: left padding built by hand with torch (no pad token needed on the tokenizer),
with an explicit attention mask and position ids."""

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
    if batch_size <= 0 or max_new_tokens <= 0:
        raise ValueError("batch_size and max_new_tokens must be positive")
    if not all(prompts):
        raise ValueError("empty prompt")
    pad_id = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    encoded = [tokenizer(prompt)["input_ids"] for prompt in prompts]
    texts: list[str] = []
    for chunk_start in range(0, len(encoded), batch_size):
        chunk = encoded[chunk_start : chunk_start + batch_size]
        width = max(len(ids) for ids in chunk)
        input_ids = torch.tensor([[pad_id] * (width - len(ids)) + ids for ids in chunk])
        attention_mask = torch.tensor([[0] * (width - len(ids)) + [1] * len(ids) for ids in chunk])
        output = model.generate(
            input_ids=input_ids,
            attention_mask=attention_mask,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            pad_token_id=pad_id,
        )
        for row in output[:, width:]:
            texts.append(tokenizer.decode(row, skip_special_tokens=True))
    return texts
