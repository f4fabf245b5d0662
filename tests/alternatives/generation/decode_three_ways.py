"""Alternative: a GenerationConfig per way, and torch.manual_seed for the sample."""

from __future__ import annotations

import math

import torch
from transformers import GenerationConfig, PreTrainedModel, PreTrainedTokenizerBase


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
    if prompt == "" or max_new_tokens < 1 or num_beams <= 1 or math.isnan(temperature) or temperature <= 0:
        raise ValueError("bad arguments")
    ids = tokenizer(prompt, return_tensors="pt").input_ids
    base = model.generation_config.to_dict()
    ways = {
        "greedy": {"do_sample": False, "num_beams": 1},
        "beam": {"do_sample": False, "num_beams": num_beams},
        "sampled": {"do_sample": True, "num_beams": 1, "temperature": temperature},
    }
    texts = {}
    for way, settings in ways.items():
        config = GenerationConfig(**{**base, **settings, "max_new_tokens": max_new_tokens})
        if way == "sampled":
            torch.manual_seed(seed)
        with torch.no_grad():
            output = model.generate(
                ids,
                attention_mask=torch.ones_like(ids),
                generation_config=config,
                pad_token_id=tokenizer.eos_token_id,
            )
        texts[way] = tokenizer.decode(output[0][ids.shape[1] :], skip_special_tokens=True)
    return texts
