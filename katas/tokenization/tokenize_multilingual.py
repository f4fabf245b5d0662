"""Kata: handle multilingual tokenization (seed question 33).

Run the checks with:  pytest --katas tokenize_multilingual
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import BatchEncoding, PreTrainedTokenizerBase


def tokenize_multilingual(
    texts: Sequence[str],
    tokenizer: PreTrainedTokenizerBase,
    max_length: int = 64,
) -> BatchEncoding:
    """Tokenize a batch of texts in several languages, refusing a tokenizer that cannot read them.

    A tokenizer whose vocabulary misses a script (Cyrillic, Chinese, accented Latin letters...)
    maps what it cannot read to its unknown token, and the model then sees the same id for all
    of it. Catch that before the batch reaches a model.

    Args:
        texts: the texts, in any languages and scripts (a list, a tuple, ...). Each text is one
            row of the batch, in its place and as given: repeats and empty texts included, spaces
            kept.
        tokenizer: the tokenizer to use, with a pad token (the checks pass tokenizers trained
            locally on several scripts: SentencePiece-style Unigram, byte-level BPE, WordPiece).
        max_length: the most tokens a text may keep, special tokens included.

    Returns:
        The batch as PyTorch tensors: the ``BatchEncoding`` exactly as the tokenizer gives it for
        all the texts at once with padding to the longest text, truncation to ``max_length``, and
        its special tokens.

    Raises:
        ValueError: if ``texts`` is empty or ``max_length`` < 1.
        ValueError: if the tokenizer turns any part of a text into its unknown token; the
            message quotes every such text. Padding is not unknown text, whatever its id: a
            tokenizer whose pad token is also its unknown token is not refused for padding.
            A tokenizer that has no unknown token (``unk_token_id is None``) can read anything.
    """
    # TODO: look for the unknown token's id in each text's own ids, then tokenize the batch.
    raise NotImplementedError
