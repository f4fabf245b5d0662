"""Alternative: a batch of n copies of the prompt for sampling, a GenerationConfig for beams."""

from __future__ import annotations

import torch
from transformers import GenerationConfig, PreTrainedModel, PreTrainedTokenizerBase


def generate_sequences(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    num_return_sequences: int = 3,
    *,
    max_new_tokens: int = 20,
    num_beams: int = 1,
    seed: int | None = None,
) -> list[str]:
    if prompt == "" or min(num_return_sequences, max_new_tokens, num_beams) <= 0:
        raise ValueError("need a prompt and positive counts")
    encoded = tokenizer([prompt], return_tensors="pt")
    if num_beams == 1:
        # n copies of the prompt in one batch: the same draws as num_return_sequences=n.
        batch = {key: value.repeat(num_return_sequences, 1) for key, value in encoded.items()}
        if seed is not None:
            torch.manual_seed(seed)
        output = model.generate(**batch, do_sample=True, max_new_tokens=max_new_tokens)
    else:
        if num_return_sequences > num_beams:
            raise ValueError("num_return_sequences > num_beams")
        config = GenerationConfig(
            num_beams=num_beams,
            num_return_sequences=num_return_sequences,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            eos_token_id=tokenizer.eos_token_id,
            pad_token_id=tokenizer.eos_token_id,
        )
        output = model.generate(**encoded, generation_config=config)
    start = encoded.input_ids.size(1)
    return [tokenizer.decode(row[start:], skip_special_tokens=True) for row in output]
