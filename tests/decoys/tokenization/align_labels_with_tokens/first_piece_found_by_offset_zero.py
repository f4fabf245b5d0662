"""Decoy for align_labels_with_tokens: takes a token for the first of its word when its character offset in the word is 0; byte-level BPE gives every byte of a multi-byte first letter offset 0.

caught_by: test_a_word_without_tokens_or_with_a_multibyte_first_letter_keeps_the_labels_in_step
"""

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
    if not tokenizer.is_fast:
        raise TypeError(
            "a fast tokenizer is needed: only it knows which word each token comes from (word_ids)"
        )
    if len(words) == 0 or len(words) != len(labels):
        raise ValueError(
            f"need one list of labels per example: {len(words)} examples, {len(labels)} label lists"
        )
    for index, (example, tags) in enumerate(zip(words, labels, strict=True)):
        if len(example) != len(tags):
            raise ValueError(f"example {index} has {len(example)} words but {len(tags)} labels")
    if max_length is not None and max_length <= tokenizer.num_special_tokens_to_add():
        raise ValueError(f"max_length={max_length} leaves no room for a word beside the special tokens")
    encoding = tokenizer(
        [list(example) for example in words],
        is_split_into_words=True,
        truncation=max_length is not None,
        max_length=max_length,
        return_offsets_mapping=True,
    )
    aligned = []
    for index, tags in enumerate(labels):
        row = []
        offsets = encoding["offset_mapping"][index]
        for word, (start, _) in zip(encoding.word_ids(batch_index=index), offsets, strict=True):
            if word is None or (start != 0 and not label_all_subwords):  # MISTAKE
                row.append(-100)
            else:
                row.append(tags[word])
        aligned.append(row)
    encoding.pop("offset_mapping")
    return {**encoding, "labels": aligned}
