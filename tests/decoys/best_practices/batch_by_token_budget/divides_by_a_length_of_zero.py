"""Decoy for batch_by_token_budget: cuts each batch at max_tokens // its longest length, which divides by zero once only empty texts (0 tokens with gpt2) remain.

caught_by: test_empty_strings_are_texts_too
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def batch_by_token_budget(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    max_tokens: int,
) -> list[list[int]]:
    if not max_tokens >= 1:
        raise ValueError("the budget must be a positive number of tokens")
    if not texts:
        return []
    lengths = [len(ids) for ids in tokenizer(list(texts))["input_ids"]]
    too_long = [i for i, n in enumerate(lengths) if n > max_tokens]
    if too_long:
        raise ValueError(f"texts {too_long} do not fit in {max_tokens} tokens")
    remaining = sorted(range(len(texts)), key=lambda i: (-lengths[i], i))
    batches = []
    while remaining:
        room = max_tokens // lengths[remaining[0]]  # MISTAKE
        batches.append(remaining[:room])
        remaining = remaining[room:]
    return batches
