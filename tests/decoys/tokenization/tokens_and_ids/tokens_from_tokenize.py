"""Decoy for tokens_and_ids: takes the tokens from tokenize(), which leaves out the special tokens that the ids hold.

caught_by: test_tokens_ids_and_text_with_the_special_tokens
"""

from __future__ import annotations

from transformers import PreTrainedTokenizerBase


def tokens_and_ids(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    *,
    add_special_tokens: bool = True,
) -> tuple[list[str], list[int], str]:
    if not isinstance(text, str):
        raise TypeError(f"text must be one str, not {type(text).__name__}")
    # Calling the tokenizer adds the special tokens (unless told not to); tokenizer.tokenize()
    # would give the tokens of the text alone, never [CLS] or <s>.
    ids = list(tokenizer(text, add_special_tokens=add_special_tokens)["input_ids"])
    # One token per id, special ones included: the tokens are the ids' names, not a re-split.
    tokens = tokenizer.tokenize(text)  # MISTAKE: no [CLS] or <s>
    # skip_special_tokens=True: "[CLS] hello [SEP]" is not the text that went in.
    decoded = tokenizer.decode(ids, skip_special_tokens=True)
    return tokens, ids, decoded
