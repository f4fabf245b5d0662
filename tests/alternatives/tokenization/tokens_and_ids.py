"""Alternative: encode() for the ids, one convert per id, batch_decode for the text."""

from __future__ import annotations

from transformers import PreTrainedTokenizerBase


def tokens_and_ids(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    *,
    add_special_tokens: bool = True,
) -> tuple[list[str], list[int], str]:
    if type(text) is not str:
        raise TypeError("one text, please")
    ids = [int(i) for i in tokenizer.encode(text, add_special_tokens=add_special_tokens)]
    tokens = [tokenizer.convert_ids_to_tokens(i) for i in ids]
    (decoded,) = tokenizer.batch_decode([ids], skip_special_tokens=True)
    return tokens, ids, decoded
