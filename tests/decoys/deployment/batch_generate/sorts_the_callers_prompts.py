"""Decoy for batch_generate: sorts the caller's list of prompts by length in place to pad less; the texts come back in order, but the list is changed.

caught_by: test_batches_of_batch_size_keep_the_order
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
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    if any(not prompt for prompt in prompts):
        raise ValueError("every prompt must be a non-empty string")
    # Padding needs a pad token; GPT-2-style tokenizers have none. The eos token is the usual
    # stand-in (the attention mask tells the model to ignore it anyway), given to a copy: the
    # caller's tokenizer is shared and stays as it is.
    if tokenizer.pad_token is None:
        tokenizer = copy.deepcopy(tokenizer)
        tokenizer.pad_token = tokenizer.eos_token
    model.eval()
    order = sorted(range(len(prompts)), key=lambda i: len(prompts[i]))
    prompts = prompts if isinstance(prompts, list) else list(prompts)
    prompts.sort(key=len)  # MISTAKE: the caller's list is reordered
    texts: list[str] = []
    for start in range(0, len(prompts), batch_size):
        batch = list(prompts[start : start + batch_size])
        # A decoder-only model continues from the *last* position of each row, so the padding must
        # go on the left (with right padding, short prompts would be continued after their pad
        # tokens). transformers 5 takes the side per call, leaving tokenizer.padding_side alone.
        inputs = tokenizer(batch, return_tensors="pt", padding=True, padding_side="left")
        with torch.no_grad():
            outputs = model.generate(
                **inputs,  # the attention mask matters here: it hides the pad tokens
                max_new_tokens=max_new_tokens,
                do_sample=False,
                pad_token_id=tokenizer.pad_token_id,
            )
        # Every row is padded to the same length, so the new tokens start at the same column.
        new_tokens = outputs[:, inputs["input_ids"].shape[1] :]
        texts += tokenizer.batch_decode(new_tokens, skip_special_tokens=True)
    in_order = [""] * len(texts)
    for position, index in enumerate(order):
        in_order[index] = texts[position]
    return in_order
