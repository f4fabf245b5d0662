"""Alternative: one batched tokenizer call, the batches cut by how many of the longest remaining
texts the budget holds (max_tokens // longest, every one once only texts of 0 tokens remain), with an
error checked up front."""

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
        longest = lengths[remaining[0]]
        room = max_tokens // longest if longest else len(remaining)  # empty texts (gpt2) cost nothing
        batches.append(remaining[:room])
        remaining = remaining[room:]
    return batches
