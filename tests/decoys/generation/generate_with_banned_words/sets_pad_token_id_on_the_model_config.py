"""Decoy for generate_with_banned_words: sets model.config.pad_token_id rather than passing pad_token_id to generate.

caught_by: test_a_ban_wins_over_a_boost
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import torch
from transformers import LogitsProcessor, LogitsProcessorList, PreTrainedModel, PreTrainedTokenizerBase


class WordBias(LogitsProcessor):
    """Adds each bias to the score of its sequence's last token, at the steps where the sequence's
    other tokens end the ids so far (a sequence of one token: at every step)."""

    def __init__(self, biases: list[tuple[list[int], float]]) -> None:
        self.biases = biases

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        scores = scores.clone()  # generate's tensor stays as it was
        length = input_ids.shape[1]
        for ids, bias in self.biases:
            prefix, last = ids[:-1], ids[-1]
            if len(prefix) > length:
                continue
            tail = input_ids[:, length - len(prefix) :]
            rows = (tail == torch.tensor(prefix, dtype=tail.dtype)).all(dim=1)  # True when no prefix
            scores[rows, last] += bias  # -inf for a ban: it stays -inf whatever boost comes too
        return scores


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
        raise TypeError(f"banned must be a sequence of words, not the string {banned!r}")
    boosted = dict(boosted or {})
    if not prompt or max_new_tokens < 1:
        raise ValueError(f"need a prompt and max_new_tokens >= 1, got {prompt!r} and {max_new_tokens}")
    if any(not word.strip() for word in [*banned, *boosted]):
        raise ValueError(f"empty or blank word in {list(banned)} or {list(boosted)}")
    if not all(math.isfinite(bias) for bias in boosted.values()):
        raise ValueError(f"every bias must be finite, got {boosted}")

    def sequences(word: str) -> list[list[int]]:  # as written, and after a space
        return [tokenizer(text, add_special_tokens=False)["input_ids"] for text in (word, " " + word)]

    biases = [(ids, -math.inf) for word in banned for ids in sequences(word)]
    biases += [(ids, float(bias)) for word, bias in boosted.items() for ids in sequences(word)]
    model.config.pad_token_id = tokenizer.eos_token_id  # MISTAKE
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.inference_mode():
        output = model.generate(
            **inputs,
            logits_processor=LogitsProcessorList([WordBias(biases)]),
            max_new_tokens=max_new_tokens,
            do_sample=False,  # greedy, whatever the generation_config prefers
            num_beams=1,
        )
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
