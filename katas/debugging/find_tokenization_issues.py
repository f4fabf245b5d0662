"""Kata: find where a tokenizer loses text (seed question 91).

Run the checks with:  pytest --katas find_tokenization_issues
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def find_tokenization_issues(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
) -> dict[str, list[str]]:
    """Find what ``tokenizer`` cannot represent in ``texts``, instead of printing tokens and
    reading them by eye.

    Two kinds of issue:

    - an unknown word: a word (``text.split()``, punctuation and case as they are) that the
      tokenizer maps, in whole or in part, to its unknown token (``tokenizer.unk_token_id``;
      a tokenizer without one has no unknown words);
    - a text that does not round-trip: encoding it without special tokens
      (``add_special_tokens=False``) and decoding the ids (``tokenizer.decode``) does not give
      the text back exactly (an uncased tokenizer loses the capitals, WordPiece loses double
      spaces and accents, an unknown character comes back as the unknown token).

    Args:
        tokenizer: any tokenizer (the checks pass byte-level, uncased and cased ones).
        texts: the texts to inspect, any sequence; left unchanged.

    Returns:
        ``{"unknown_words": [...], "not_round_trip": [...]}``: each word once, and each text
        once, in the order they first appear in ``texts``. Both lists are empty when the
        tokenizer represents every text exactly.

    Raises:
        TypeError: if an item of ``texts`` is not a ``str``.
    """
    # TODO: look for the unknown token in each word's ids, and decode each text's ids back.
    raise NotImplementedError
