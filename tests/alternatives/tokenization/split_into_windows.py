"""Alternative: the tokenizers library's own truncation with a stride, on a copy of the backend."""

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
    if stride < 0 or stride >= room:
        raise ValueError(f"stride must be in [0, {room}), got {stride}")
    backend = copy.deepcopy(tokenizer.backend_tokenizer)  # the caller's keeps its settings
    backend.no_padding()
    backend.enable_truncation(max_length, stride=stride)
    first = backend.encode(text)
    windows = []
    for encoding in [first, *first.overflowing]:
        text_offsets = [
            o for o, s in zip(encoding.offsets, encoding.sequence_ids, strict=True) if s is not None
        ]
        span = (text_offsets[0][0], text_offsets[-1][1]) if text_offsets else (0, 0)
        windows.append({"input_ids": encoding.ids, "span": span})
    return windows
