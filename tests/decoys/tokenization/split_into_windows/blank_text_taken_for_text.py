"""Decoy for split_into_windows: gives span (0, 0) only when the text is empty; a blank text, which BERT's tokenizer turns into no token, breaks the span.

caught_by: test_an_empty_text_gives_one_window_without_text
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
        raise ValueError(
            f"stride must be at least 0 and less than the {room} tokens of text a window of "
            f"{max_length} holds, got {stride}"
        )
    # The tokenizer cuts the text into windows itself: each overflow starts `stride` tokens
    # before the end of the window it follows, and gets the special tokens too.
    encoding = tokenizer(
        text,
        truncation=True,
        max_length=max_length,
        stride=stride,
        return_overflowing_tokens=True,
        return_offsets_mapping=True,
    )
    windows = []
    for index, ids in enumerate(encoding["input_ids"]):
        # Special tokens belong to no sequence; their offsets (0, 0) are not the text's.
        offsets = [
            offset
            for offset, sequence in zip(
                encoding["offset_mapping"][index], encoding.sequence_ids(index), strict=True
            )
            if sequence is not None
        ]
        span = (offsets[0][0], offsets[-1][1]) if text else (0, 0)  # MISTAKE
        windows.append({"input_ids": list(ids), "span": span})
    return windows
