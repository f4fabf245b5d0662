"""Alternative: no pipeline, model.generate itself, then the new tokens decoded: the same text."""

from __future__ import annotations

from typing import Any

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def generate_with_pipeline(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    max_new_tokens: int = 20,
    **generation: Any,
) -> str:
    if prompt == "" or max_new_tokens <= 0:
        raise ValueError("need a prompt and at least one new token")
    inputs = tokenizer(prompt, return_tensors="pt")
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    with torch.inference_mode():
        output = model.generate(
            **inputs, max_new_tokens=max_new_tokens, pad_token_id=pad, **({"do_sample": False} | generation)
        )
    return tokenizer.decode(output[0][inputs["input_ids"].shape[-1] :], skip_special_tokens=True)
