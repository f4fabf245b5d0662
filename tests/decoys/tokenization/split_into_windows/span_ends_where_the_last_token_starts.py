"""Decoy for split_into_windows: ends each span where its last token starts, not where it ends, so the span misses that token's characters.

caught_by: test_each_span_covers_the_characters_of_its_window
"""

from __future__ import annotations

from transformers import PreTrainedTokenizerBase


def split_into_windows(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    *,
    max_length: int,
    stride: int,
) -> list[dict]:
    room = max_length - tokenizer.num_special_tokens_to_add()
    if not 0 <= stride < room:
        raise ValueError(f"stride must be in [0, {room}), got {stride}")
    encoding = tokenizer(
        text,
        truncation=True,
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
        return_special_tokens_mask=True,
    )
    windows = []
    for ids, offsets, special in zip(
        encoding["input_ids"], encoding["offset_mapping"], encoding["special_tokens_mask"], strict=True
    ):
        kept = [offset for offset, flag in zip(offsets, special, strict=True) if not flag]
        span = (kept[0][0], kept[-1][0]) if kept else (0, 0)  # MISTAKE: the last token's start
        windows.append({"input_ids": ids, "span": span})
    return windows
