"""Kata: plan batches under a token budget (seed question 140).

Run the checks with:  pytest --katas batch_by_token_budget
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def batch_by_token_budget(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    max_tokens: int,
) -> list[list[int]]:
    """Group ``texts`` into as few batches as a longest-first greedy packing, each under a token budget.

    A padded batch costs (number of texts) x (its longest text) token positions. The length of a
    text is the number of ids ``tokenizer(text)`` gives, special tokens included (no truncation).
    The caller runs the model batch by batch and puts each result back at its text's index.

    Args:
        tokenizer: the model's tokenizer; not changed.
        texts: the texts, a list or a tuple, possibly with duplicates; not changed.
        max_tokens: the most token positions one batch may hold.

    Returns:
        A list of batches, each a non-empty list of indices (Python ints) into ``texts``: every
        index from 0 to ``len(texts) - 1`` appears exactly once (a duplicated text too), each
        batch's ``len(batch) * max(length of its texts) <= max_tokens`` (equality allowed), and
        there are no more batches than packing the texts sorted longest first, each into the
        current batch while it fits, gives. The order of the batches, and of the indices in a
        batch, is free. No texts give ``[]``.

    Raises:
        ValueError: if ``max_tokens`` is less than 1 (even for no texts), or if a text alone is
            longer than ``max_tokens`` (no batch could hold it; the message names its index).
    """
    # TODO: the length of each text, indices sorted longest first, then fill a batch while
    # (its size + 1) * its longest still fits the budget.
    raise NotImplementedError
