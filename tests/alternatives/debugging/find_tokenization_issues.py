"""Alternative: the unknown token string among each word's tokens, and a seen-set for order."""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def find_tokenization_issues(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
) -> dict[str, list[str]]:
    if any(type(text) is not str for text in texts):
        raise TypeError("texts must be strings")
    found: dict[str, list[str]] = {"unknown_words": [], "not_round_trip": []}
    for text in texts:
        for word in text.split():
            pieces = tokenizer.convert_ids_to_tokens(tokenizer.encode(word, add_special_tokens=False))
            known = tokenizer.unk_token_id is None or tokenizer.unk_token not in pieces
            if not known and word not in found["unknown_words"]:
                found["unknown_words"].append(word)
        back = tokenizer.decode(tokenizer.encode(text, add_special_tokens=False))
        if back != text and text not in found["not_round_trip"]:
            found["not_round_trip"].append(text)
    return found
