"""Alternative: one example at a time, each word's first token found with a set of words seen."""

from __future__ import annotations

from collections.abc import Sequence

from transformers import PreTrainedTokenizerBase


def align_labels_with_tokens(
    tokenizer: PreTrainedTokenizerBase,
    words: Sequence[Sequence[str]],
    labels: Sequence[Sequence[int]],
    *,
    label_all_subwords: bool = False,
    max_length: int | None = None,
) -> dict[str, list[list[int]]]:
    if not getattr(tokenizer, "is_fast", False):
        raise TypeError("word_ids() needs a fast tokenizer")
    if not words or len(words) != len(labels):
        raise ValueError("one list of labels per example")
    if any(len(example) != len(tags) for example, tags in zip(words, labels, strict=True)):
        raise ValueError("words and labels must pair up, one label per word")
    if max_length is not None and max_length - tokenizer.num_special_tokens_to_add() < 1:
        raise ValueError("max_length too small")
    result: dict[str, list[list[int]]] = {}
    for example, tags in zip(words, labels, strict=True):
        options = {"truncation": True, "max_length": max_length} if max_length else {}
        encoding = tokenizer(list(example), is_split_into_words=True, **options)
        seen: set[int] = set()
        row = []
        for word in encoding.word_ids():
            first = word is not None and word not in seen
            row.append(tags[word] if word is not None and (first or label_all_subwords) else -100)
            if word is not None:
                seen.add(word)
        for key, value in encoding.items():
            result.setdefault(key, []).append(list(value))
        result.setdefault("labels", []).append(row)
    return result
