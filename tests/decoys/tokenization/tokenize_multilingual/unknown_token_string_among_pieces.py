"""Decoy for tokenize_multilingual: it looks for the unknown token's string among tokenize()'s pieces, but a SentencePiece tokenizer returns the unreadable piece itself there (only its id is the unknown id).

caught_by: test_a_tokenizer_that_cannot_read_a_script_is_refused
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import BatchEncoding, PreTrainedTokenizerBase


def tokenize_multilingual(
    texts: Sequence[str],
    tokenizer: PreTrainedTokenizerBase,
    max_length: int = 64,
) -> BatchEncoding:
    if len(texts) == 0 or max_length <= 0:
        raise ValueError("need at least one text and a positive max_length")
    if tokenizer.unk_token is not None:
        # tokenize() splits the text alone: no special tokens, no padding, no truncation.
        bad = [text for text in texts if tokenizer.unk_token in tokenizer.tokenize(text)]
        if bad:
            raise ValueError(f"unknown tokens in: {bad}")
    return tokenizer(
        list(texts), padding="longest", truncation="longest_first", max_length=max_length, return_tensors="pt"
    )
