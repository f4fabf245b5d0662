"""Alternative: no thread and no streamer: a greedy loop over the model with its KV cache that
yields the newly decoded text after each token (holding back incomplete UTF-8 characters)."""

from __future__ import annotations

from collections.abc import Iterator

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def stream_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    max_new_tokens: int = 20,
) -> Iterator[str]:
    if prompt == "":
        raise ValueError("empty prompt")
    if max_new_tokens <= 0:
        raise ValueError("max_new_tokens must be positive")
    return _stream(model, tokenizer, tokenizer(prompt, return_tensors="pt").input_ids, max_new_tokens)


@torch.no_grad()
def _stream(model, tokenizer, input_ids: torch.Tensor, max_new_tokens: int) -> Iterator[str]:
    new: list[int] = []
    shown = 0
    past = None
    step_input = input_ids
    for _ in range(max_new_tokens):
        out = model(input_ids=step_input, past_key_values=past, use_cache=True)
        past = out.past_key_values
        token = int(out.logits[0, -1].argmax())
        if token == tokenizer.eos_token_id:
            break
        new.append(token)
        step_input = torch.tensor([[token]])
        text = tokenizer.decode(new, skip_special_tokens=True)
        if text.endswith("\ufffd"):
            continue  # a multi-byte character is not complete yet
        if len(text) > shown:
            yield text[shown:]
            shown = len(text)
    text = tokenizer.decode(new, skip_special_tokens=True)
    if len(text) > shown:
        yield text[shown:]
