"""Decoy for find_tokenization_issues: decodes with skip_special_tokens=True, so a text that holds a special token such as [SEP] looks lost.

caught_by: test_unknown_words_and_texts_that_do_not_round_trip
"""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def find_tokenization_issues(
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
) -> dict[str, list[str]]:
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"every text must be a str, not {type(text).__name__}: {text!r}")
    unk = tokenizer.unk_token_id
    # dict.fromkeys keeps the first appearance of each item, in order: an ordered set.
    unknown: dict[str, None] = {}
    broken: dict[str, None] = {}
    for text in texts:
        for word in text.split():
            if unk is not None and unk in tokenizer(word, add_special_tokens=False)["input_ids"]:
                unknown.setdefault(word)
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        if tokenizer.decode(ids, skip_special_tokens=True) != text:  # MISTAKE
            broken.setdefault(text)
    return {"unknown_words": list(unknown), "not_round_trip": list(broken)}
