"""Decoy for stream_generate: like the seed, it yields each generation as one finished text, so the reader gets a single chunk at the very end.

caught_by: test_the_chunks_join_into_the_generated_text
"""

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
    if not prompt:
        raise ValueError("prompt must not be empty")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        outputs = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
    text = tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    return iter([text])
