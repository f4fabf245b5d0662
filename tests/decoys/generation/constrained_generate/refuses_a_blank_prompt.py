"""Decoy for constrained_generate: a prompt of whitespace is refused as empty, though it is a prompt of one token.

caught_by: test_whitespace_is_a_word_and_a_prompt
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def constrained_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    allowed_words: Sequence[str],
    *,
    max_new_tokens: int = 10,
) -> str:
    if not prompt.strip():  # MISTAKE: whitespace is a prompt, not an empty one
        raise ValueError("prompt must not be empty: a causal LM needs at least one token to continue")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    if not allowed_words:
        raise ValueError("allowed_words is empty: nothing could be generated")
    # Token *ids*: generate() masks the logits by id. Each word on its own, as given: joining
    # them would add spaces, and " cat" is not "cat" to a byte-level BPE.
    allowed: set[int] = set()
    for word in allowed_words:
        ids = tokenizer(word, add_special_tokens=False)["input_ids"]
        if not ids:
            raise ValueError(f"the allowed word {word!r} has no tokens")
        allowed.update(ids)
    allowed_ids = sorted(allowed)

    def prefix_allowed_tokens_fn(batch_id: int, input_ids: torch.Tensor) -> list[int]:
        # Called before every new token with the sequence so far; the same set at every step.
        return allowed_ids

    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        outputs = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            # force_words_ids / constraints moved to a Hub-hosted custom generate in
            # transformers 5 and fail offline; a prefix function is built in.
            prefix_allowed_tokens_fn=prefix_allowed_tokens_fn,
        )
    return tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
