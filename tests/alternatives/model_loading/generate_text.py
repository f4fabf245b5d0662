"""Alternative: a GenerationConfig object, torch.manual_seed, and batch_decode of a slice."""

from __future__ import annotations

import torch
from transformers import GenerationConfig, PreTrainedModel, PreTrainedTokenizerBase


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
    if prompt == "":
        raise ValueError("empty prompt")
    if max_new_tokens <= 0:
        raise ValueError("max_new_tokens must be positive")
    encoded = tokenizer([prompt], return_tensors="pt")
    config = GenerationConfig.from_model_config(model.config)
    config.max_new_tokens = max_new_tokens
    config.num_beams = num_beams
    config.do_sample = do_sample
    if do_sample:
        config.temperature = temperature
        config.top_p = top_p
    if seed is not None:
        torch.manual_seed(seed)
    output = model.generate(
        input_ids=encoded.input_ids, attention_mask=encoded.attention_mask, generation_config=config
    )
    prompt_length = encoded.input_ids.size(1)
    return tokenizer.batch_decode(output[:, prompt_length:], skip_special_tokens=True)[0]
