"""Decoy for batch_by_token_budget: keeps the texts' positions in a dict keyed by text, so a duplicated text gets one index only.

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
        raise ValueError("max_tokens must be at least 1")
    index_of = {text: i for i, text in enumerate(texts)}  # MISTAKE
    lengths = {text: len(tokenizer(text)["input_ids"]) for text in index_of}
    batches: list[list[int]] = []
    longest = 0
    for text in sorted(index_of, key=lengths.__getitem__, reverse=True):
        if lengths[text] > max_tokens:
            raise ValueError(f"text {index_of[text]} is too long")
        if batches and (len(batches[-1]) + 1) * longest <= max_tokens:
            batches[-1].append(index_of[text])
        else:
            batches.append([index_of[text]])
            longest = lengths[text]
    return batches
