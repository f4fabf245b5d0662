"""Decoy for tokens_and_ids: lets a list through, which the tokenizer takes as a batch.

caught_by: test_what_is_not_one_text_raises_type_error
"""

from __future__ import annotations

from transformers import PreTrainedTokenizerBase


def tokens_and_ids(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    *,
    add_special_tokens: bool = True,
) -> tuple[list[str], list[int], str]:
    if text is None:  # MISTAKE: a list or bytes pass
        raise TypeError(f"text must be one str, not {type(text).__name__}")
    # Calling the tokenizer adds the special tokens (unless told not to); tokenizer.tokenize()
    # would give the tokens of the text alone, never [CLS] or <s>.
    ids = list(tokenizer(text, add_special_tokens=add_special_tokens)["input_ids"])
    # One token per id, special ones included: the tokens are the ids' names, not a re-split.
    tokens = tokenizer.convert_ids_to_tokens(ids)
    # skip_special_tokens=True: "[CLS] hello [SEP]" is not the text that went in.
    decoded = tokenizer.decode(ids, skip_special_tokens=True)
    return tokens, ids, decoded
