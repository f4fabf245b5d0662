"""Alternative: each text's pieces from tokenize(), turned into ids and compared with the unknown id,
then one batch call."""

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
    if tokenizer.unk_token_id is not None:
        # tokenize() splits the text alone: no special tokens, no padding, no truncation. Compare
        # ids: a SentencePiece tokenizer returns an unreadable piece as itself, not as "<unk>".
        bad = [
            text
            for text in texts
            if tokenizer.unk_token_id in tokenizer.convert_tokens_to_ids(tokenizer.tokenize(text))
        ]
        if bad:
            raise ValueError(f"unknown tokens in: {bad}")
    return tokenizer(
        list(texts), padding="longest", truncation="longest_first", max_length=max_length, return_tensors="pt"
    )
