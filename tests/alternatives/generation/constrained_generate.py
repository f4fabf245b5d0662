"""Alternative: a LogitsProcessor that masks every other token, passed through logits_processor."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import LogitsProcessor, LogitsProcessorList, PreTrainedModel, PreTrainedTokenizerBase


class OnlyThese(LogitsProcessor):
    def __init__(self, allowed: torch.Tensor) -> None:
        self.allowed = allowed

    def __call__(self, input_ids: torch.LongTensor, scores: torch.FloatTensor) -> torch.FloatTensor:
        masked = torch.full_like(scores, float("-inf"))
        masked[:, self.allowed] = scores[:, self.allowed]
        return masked


def constrained_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    allowed_words: Sequence[str],
    *,
    max_new_tokens: int = 10,
) -> str:
    encoded = [tokenizer.encode(word, add_special_tokens=False) for word in allowed_words]
    if not prompt or max_new_tokens < 1 or not encoded or not all(encoded):
        raise ValueError("need a prompt, max_new_tokens >= 1 and words that have tokens")
    allowed = torch.tensor(sorted({i for ids in encoded for i in ids}))
    inputs = tokenizer(prompt, return_tensors="pt")
    output = model.generate(
        **inputs,
        max_new_tokens=max_new_tokens,
        do_sample=False,
        logits_processor=LogitsProcessorList([OnlyThese(allowed)]),
    )
    return tokenizer.decode(output[0][inputs.input_ids.shape[-1] :], skip_special_tokens=True)
