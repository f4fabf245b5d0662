"""Alternative: generate's own bad_words_ids and sequence_bias, which do the same as the processor."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def generate_with_banned_words(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    banned: Sequence[str] = (),
    *,
    boosted: Mapping[str, float] | None = None,
    max_new_tokens: int = 20,
) -> str:
    if isinstance(banned, str):
        raise TypeError("banned is a list of words")
    boosted = boosted or {}
    words = list(banned) + list(boosted)
    if prompt == "" or max_new_tokens <= 0 or any(word.strip() == "" for word in words):
        raise ValueError("a prompt, words that are not blank and at least one new token are needed")
    if any(math.isnan(b) or math.isinf(b) for b in boosted.values()):
        raise ValueError("biases must be finite")

    def ids(word: str) -> list[list[int]]:
        return [
            tokenizer.encode(word, add_special_tokens=False),
            tokenizer.encode(" " + word, add_special_tokens=False),
        ]

    settings = {}
    if banned:
        settings["bad_words_ids"] = [seq for word in banned for seq in ids(word)]
    if boosted:
        settings["sequence_bias"] = {tuple(seq): float(b) for word, b in boosted.items() for seq in ids(word)}
    encoded = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        out = model.generate(
            **encoded,
            **settings,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            num_beams=1,
            pad_token_id=tokenizer.eos_token_id,
        )
    return tokenizer.decode(out[0][encoded["input_ids"].shape[-1] :], skip_special_tokens=True)
