"""Decoy for tokenize_multilingual: repeated texts are dropped, so the batch has fewer rows than texts.

caught_by: test_a_tuple_with_repeated_empty_and_spaced_texts_keeps_every_row_as_given[unigram]
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import BatchEncoding, PreTrainedTokenizerBase


def tokenize_multilingual(
    texts: Sequence[str],
    tokenizer: PreTrainedTokenizerBase,
    max_length: int = 64,
) -> BatchEncoding:
    if not texts:
        raise ValueError("texts is empty")
    if max_length < 1:
        raise ValueError(f"max_length must be at least 1, got {max_length}")
    texts = list(dict.fromkeys(texts))  # MISTAKE

    # Compare ids, not strings: the unknown token is "[UNK]" for WordPiece, "<unk>" for
    # SentencePiece, and byte-level BPE may have none at all (any byte has a token).
    unk_id = tokenizer.unk_token_id
    if unk_id is not None:
        # Each text on its own, with no padding and no special tokens: an unknown id here can
        # only come from the text. (GPT-2's tokenizer uses <|endoftext|> as unk, eos *and* pad:
        # in a padded batch the padding would look unknown.)
        encoded = tokenizer(texts, add_special_tokens=False)["input_ids"]
        unreadable = [text for text, ids in zip(texts, encoded, strict=True) if unk_id in ids]
        if unreadable:
            raise ValueError(
                f"the tokenizer maps part of {len(unreadable)} text(s) to its unknown token "
                f"{tokenizer.unk_token!r}; its vocabulary does not cover their script: {unreadable}"
            )

    # One call for the whole batch: padded to its longest text, cut at max_length.
    return tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
