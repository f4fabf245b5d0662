"""Decoy for tokenize_multilingual: it looks for the unknown id in the padded, truncated batch with its special tokens, so a special token that shares the unknown id is taken for unknown text (and text cut off by max_length is never checked).

caught_by: test_special_tokens_the_tokenizer_adds_are_not_unknown_text
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
    batch = tokenizer(
        list(texts),
        padding="longest",
        truncation="longest_first",
        max_length=max_length,
        return_tensors="pt",
        return_special_tokens_mask=True,
    )
    special = batch.pop("special_tokens_mask")
    if tokenizer.unk_token_id is not None:
        real = batch["attention_mask"].bool()
        unknown = ((batch["input_ids"] == tokenizer.unk_token_id) & real).any(dim=1)
        bad = [text for text, flag in zip(texts, unknown.tolist(), strict=True) if flag]
        if bad:
            raise ValueError(f"unknown tokens in: {bad} (special tokens mask: {special.sum().item()})")
    return batch
