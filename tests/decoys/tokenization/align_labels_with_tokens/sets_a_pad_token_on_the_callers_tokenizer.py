"""Decoy for align_labels_with_tokens: gives GPT-2's tokenizer its eos token as pad token to pad the batch, then strips the padding; the caller's tokenizer keeps that pad token.

caught_by: test_the_first_token_of_each_word_gets_its_label_and_the_others_minus_100
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
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token  # MISTAKE
    encoding = tokenizer(
        [list(example) for example in words],
        is_split_into_words=True,
        truncation=max_length is not None,
        max_length=max_length,
        padding=True,
    )
    lengths = [sum(mask) for mask in encoding["attention_mask"]]
    right = tokenizer.padding_side == "right"
    unpadded = {
        key: [row[:n] if right else row[len(row) - n :] for row, n in zip(value, lengths, strict=True)]
        for key, value in encoding.items()
    }
    aligned = []
    for index, tags in enumerate(labels):
        row, previous = [], None
        for word in encoding.word_ids(batch_index=index):
            # Special tokens belong to no word; a word's later pieces count only when asked.
            if word is None or (word == previous and not label_all_subwords):
                row.append(-100)
            else:
                row.append(tags[word])
            previous = word
        aligned.append(row[: lengths[index]] if right else row[len(row) - lengths[index] :])
    return {**unpadded, "labels": aligned}
