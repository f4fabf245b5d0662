"""Decoy for add_domain_tokens: returns 0 for an empty tokens before it checks for a string, so the empty string '' passes as nothing to add instead of raising TypeError.

caught_by: test_bad_tokens_raise_before_anything_changes
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def add_domain_tokens(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, tokens: Sequence[str]
) -> int:
    if not tokens:  # MISTAKE: before the check of a string: '' gives 0
        return 0
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
        # Grow only: a matrix padded to a round size already has rows for the new ids.
        model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    matrices = [model.get_input_embeddings().weight]
    output = model.get_output_embeddings()
    if output is not None and output.weight is not matrices[0]:
        matrices.append(output.weight)  # an LM head of its own (untied), such as Llama's
    with torch.no_grad():
        for weight in matrices:
            weight[old : old + added] = weight[:old].mean(dim=0)
    return added
