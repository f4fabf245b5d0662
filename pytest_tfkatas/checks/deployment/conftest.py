"""What the deployment checks share: an independent greedy generation to compare with."""

from __future__ import annotations

from collections.abc import Callable

import pytest
import torch


def _greedy(model, tokenizer, prompt: str, max_new_tokens: int) -> str:
    """One prompt, no padding, greedy decoding: the text every deployment route must reproduce."""
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        outputs = model.generate(
            **inputs, max_new_tokens=max_new_tokens, do_sample=False, pad_token_id=tokenizer.eos_token_id
        )
    return tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


@pytest.fixture
def greedy() -> Callable[..., str]:
    """``greedy(model, tokenizer, prompt, max_new_tokens)``: the direct, one-prompt generation."""
    return _greedy
