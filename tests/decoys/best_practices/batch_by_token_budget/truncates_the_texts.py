"""Decoy for batch_by_token_budget: tokenizes with truncation=True, so a text longer than the tokenizer's model_max_length is measured short.

caught_by: test_a_text_beyond_the_models_maximum_length_is_measured_in_full
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
    lengths = [len(tokenizer(text, truncation=True)["input_ids"]) for text in texts]  # MISTAKE
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
