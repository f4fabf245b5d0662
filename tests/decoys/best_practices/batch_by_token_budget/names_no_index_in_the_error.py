"""Decoy for batch_by_token_budget: the error for a text too long gives its length but not its index.

caught_by: test_a_text_longer_than_the_budget_is_refused
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
    lengths = [len(tokenizer(text)["input_ids"]) for text in texts]  # special tokens included
    order = sorted(range(len(texts)), key=lengths.__getitem__, reverse=True)
    batches: list[list[int]] = []
    for index in order:
        if lengths[index] > max_tokens:
            raise ValueError(
                f"a text has {lengths[index]} tokens, more than max_tokens={max_tokens}"
            )  # MISTAKE
        # longest first: a batch's first text is its longest, so one more text costs one more row of it
        if batches and (len(batches[-1]) + 1) * lengths[batches[-1][0]] <= max_tokens:
            batches[-1].append(index)
        else:
            batches.append([index])
    return batches
