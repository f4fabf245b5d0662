"""Decoy for decode_three_ways: lets a temperature of 0 through, so generate refuses it only after the greedy and beam continuations.

caught_by: test_bad_arguments_raise_value_error
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, set_seed


def decode_three_ways(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    max_new_tokens: int = 20,
    num_beams: int = 4,
    temperature: float = 0.7,
    seed: int = 0,
) -> dict[str, str]:
    if not prompt:
        raise ValueError("prompt is empty: there is nothing to continue")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    if num_beams < 2:
        raise ValueError(f"beam search needs at least 2 beams (1 is greedy search), got {num_beams}")
    if not temperature >= 0:  # MISTAKE
        raise ValueError(f"temperature must be more than 0, got {temperature}")
    inputs = tokenizer(prompt, return_tensors="pt")
    start = inputs["input_ids"].shape[1]
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else tokenizer.eos_token_id

    def generate(**settings: object) -> str:
        with torch.inference_mode():
            output = model.generate(**inputs, max_new_tokens=max_new_tokens, pad_token_id=pad, **settings)
        return tokenizer.decode(output[0, start:], skip_special_tokens=True)

    # Every setting explicit: a generation_config may say do_sample=True or num_beams=4.
    greedy = generate(do_sample=False, num_beams=1)
    beam = generate(do_sample=False, num_beams=num_beams)
    set_seed(seed)  # right before the only call that draws random numbers
    sampled = generate(do_sample=True, num_beams=1, temperature=temperature)
    return {"greedy": greedy, "beam": beam, "sampled": sampled}
