"""Decoy for add_domain_tokens: leaves the new rows to resize_token_embeddings' default (near the mean), which sets no row when the matrix already has rows for the new ids.

caught_by: test_a_matrix_with_spare_rows_keeps_its_size
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def add_domain_tokens(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, tokens: Sequence[str]
) -> int:
    if isinstance(tokens, str):
        raise TypeError("tokens must be a sequence of tokens, not one string (a sequence of characters)")
    if any(not token for token in tokens):
        raise ValueError("an empty string is no token")
    old = len(tokenizer)
    # add_tokens skips what the vocabulary has and counts a repeated token once; its return value
    # may count a token it already had, so the tokenizer's length says what was really added.
    tokenizer.add_tokens(list(tokens))
    added = len(tokenizer) - old
    if added == 0:
        return 0
    if model.get_input_embeddings().num_embeddings < len(tokenizer):
        model.resize_token_embeddings(len(tokenizer))  # MISTAKE: the only init of the new rows
    return added
