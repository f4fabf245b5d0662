"""Decoy for generate_text: the seed is tested with `if seed:`, so seed=0 leaves torch unseeded.  # MISTAKE

caught_by: test_sampling_follows_the_seed_and_settings
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, set_seed


def generate_text(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    max_new_tokens: int = 20,
    num_beams: int = 1,
    do_sample: bool = False,
    temperature: float = 1.0,
    top_p: float = 1.0,
    seed: int | None = None,
) -> str:
    if not prompt:
        raise ValueError("prompt must not be empty: a causal LM needs at least one token to continue")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    inputs = tokenizer(prompt, return_tensors="pt")
    sampling = {"temperature": temperature, "top_p": top_p} if do_sample else {}
    if seed:
        set_seed(seed)  # seeds torch (and random, numpy) so sampling is reproducible
    with torch.no_grad():
        outputs = model.generate(
            **inputs,  # input_ids *and* attention_mask
            # max_new_tokens counts only new tokens; max_length would count the prompt too.
            max_new_tokens=max_new_tokens,
            num_beams=num_beams,
            do_sample=do_sample,
            **sampling,
        )
    # generate() returns prompt + continuation for decoder-only models: keep the continuation.
    new_tokens = outputs[0, inputs["input_ids"].shape[1] :]
    return tokenizer.decode(new_tokens, skip_special_tokens=True)
