"""Kata: tokens, token ids, and back to text (seed questions 20 and 23).

Run the checks with:  pytest --katas tokens_and_ids
"""

from __future__ import annotations

from transformers import PreTrainedTokenizerBase


def tokens_and_ids(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    *,
    add_special_tokens: bool = True,
) -> tuple[list[str], list[int], str]:
    """Show how ``tokenizer`` sees ``text``: its tokens, their ids, and the ids decoded back.

    Args:
        tokenizer: any tokenizer (the checks pass GPT-2's byte-level BPE, uncased and cased
            WordPiece, and a Llama-style tokenizer that starts every text with ``<s>``).
        text: the text, as it is (no stripping, no lower-casing: the tokenizer decides).
        add_special_tokens: whether the ids hold the special tokens the tokenizer adds around
            a text (``[CLS]`` ... ``[SEP]`` for BERT, ``<s>`` for Llama, none for GPT-2).

    Returns:
        ``(tokens, ids, decoded)``:

        - ``ids``: the ids the tokenizer gives ``text`` (with or without its special tokens, as
          ``add_special_tokens`` says), a ``list`` of Python ``int``;
        - ``tokens``: the token (a ``str``) of each id, one per id, in the same order;
        - ``decoded``: the ids decoded back to a ``str``, special tokens left out. A byte-level
          tokenizer gives ``text`` back exactly; an uncased one gives it lower-cased, and a
          character it cannot represent is lost.

    Raises:
        TypeError: if ``text`` is not a ``str`` (a list of texts is a batch, not one text).
    """
    # TODO: encode the text, name each id's token, decode the ids without special tokens.
    raise NotImplementedError
