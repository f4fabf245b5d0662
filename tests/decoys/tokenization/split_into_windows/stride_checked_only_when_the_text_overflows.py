"""Decoy for split_into_windows: checks the stride only when the text needs more than one window, so a text that fits accepts any stride and max_length.

caught_by: test_a_bad_stride_raises_value_error_even_for_a_text_that_fits
"""

from __future__ import annotations

import copy

from transformers import PreTrainedTokenizerBase


def split_into_windows(
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    *,
    max_length: int,
    stride: int,
) -> list[dict]:
    room = max_length - tokenizer.num_special_tokens_to_add()
    text_tokens = len(tokenizer(text, add_special_tokens=False)["input_ids"])
    if text_tokens > room and not 0 <= stride < room:  # MISTAKE: checked only when windows are needed
        raise ValueError(
            f"stride must be at least 0 and less than the {room} tokens of text a window of "
            f"{max_length} holds, got {stride}"
        )
    # The windows run from the text's start, whichever side the caller's tokenizer cuts on.
    tokenizer = copy.copy(tokenizer)
    tokenizer.truncation_side = "right"
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
        span = (offsets[0][0], offsets[-1][1]) if offsets else (0, 0)
        windows.append({"input_ids": list(ids), "span": span})
    return windows
