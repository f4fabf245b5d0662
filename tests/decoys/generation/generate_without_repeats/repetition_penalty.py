"""Decoy for generate_without_repeats: uses repetition_penalty, which makes repeats less likely but not impossible.

caught_by: test_a_looping_model_stops_looping
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def generate_without_repeats(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    no_repeat_ngram_size: int = 3,
    max_new_tokens: int = 30,
) -> str:
    if not prompt:
        raise ValueError("prompt is empty: there is nothing to continue")
    for name, value in (("no_repeat_ngram_size", no_repeat_ngram_size), ("max_new_tokens", max_new_tokens)):
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    inputs = tokenizer(prompt, return_tensors="pt")
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id
    with torch.inference_mode():
        output = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            do_sample=False,  # greedy, whatever the generation_config prefers
            num_beams=1,
            # At each step, a token that would complete an n-gram already in the sequence gets
            # a score of -inf. repetition_penalty only makes repeats less likely, not impossible.
            repetition_penalty=1.3,  # MISTAKE: repeats stay possible
            pad_token_id=pad,
        )
    return tokenizer.decode(output[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
