"""Decoy for align_labels_with_tokens: counts the words as it meets them instead of taking the word's index from word_ids, so a word without a token (a zero-width space) or a cut at the start shifts the labels of every next word.

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
    )
    aligned = []
    for index, tags in enumerate(labels):
        row, previous, count = [], None, -1
        for word in encoding.word_ids(batch_index=index):
            if word is None:
                row.append(-100)
            elif word != previous:
                count += 1  # MISTAKE
                row.append(tags[count])
            else:
                row.append(tags[count] if label_all_subwords else -100)
            previous = word
        aligned.append(row)
    return {**encoding, "labels": aligned}
