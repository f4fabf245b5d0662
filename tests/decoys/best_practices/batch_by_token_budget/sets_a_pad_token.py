"""Decoy for batch_by_token_budget: measures the texts with one padded call, setting the caller's gpt2 tokenizer's pad token for it.

caught_by: test_every_batch_fits_the_budget_and_holds_each_text_once
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def batch_by_token_budget(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    max_tokens: int,
) -> list[list[int]]:
    if max_tokens < 1:
        raise ValueError(f"max_tokens must be at least 1, got {max_tokens}")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token  # MISTAKE
    encoded = tokenizer(list(texts), padding=True) if texts else {"attention_mask": []}
    lengths = [sum(mask) for mask in encoded["attention_mask"]]  # special tokens included
    order = sorted(range(len(texts)), key=lengths.__getitem__, reverse=True)
    batches: list[list[int]] = []
    for index in order:
        if lengths[index] > max_tokens:
            raise ValueError(f"text {index} has {lengths[index]} tokens, more than max_tokens={max_tokens}")
        # longest first: a batch's first text is its longest, so one more text costs one more row of it
        if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= max_tokens:
            batches[-1].append(index)
        else:
            batches.append([index])
    return batches
