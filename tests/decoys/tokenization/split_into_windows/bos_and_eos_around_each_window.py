"""Decoy for split_into_windows: slices the tokens by hand and puts bos before and eos after each window, as if every tokenizer marked both ends (BERT marks them with [CLS] and [SEP], Llama's only with <s>, GPT-2's not at all).

caught_by: test_neighbouring_windows_share_stride_tokens_and_cover_the_whole_text
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
    room = max_length - 2  # MISTAKE: two special tokens assumed
    if stride < 0 or stride >= room:
        raise ValueError(f"stride must be in [0, {room}), got {stride}")
    encoded = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)
    ids, offsets = encoded["input_ids"], encoded["offset_mapping"]
    first = tokenizer.bos_token_id if tokenizer.bos_token_id is not None else tokenizer.cls_token_id
    last = tokenizer.eos_token_id if tokenizer.eos_token_id is not None else tokenizer.sep_token_id
    windows, start = [], 0
    while True:
        end = min(start + room, len(ids))
        span = (offsets[start][0], offsets[end - 1][1]) if end > start else (0, 0)
        windows.append({"input_ids": [first, *ids[start:end], last], "span": span})
        if end == len(ids):
            return windows
        start = end - stride
