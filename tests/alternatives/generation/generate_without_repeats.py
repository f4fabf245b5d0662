"""Alternative: the logits processor itself, NoRepeatNGramLogitsProcessor, handed to generate."""

from __future__ import annotations

import torch
from transformers import (
    LogitsProcessorList,
    NoRepeatNGramLogitsProcessor,
    PreTrainedModel,
    PreTrainedTokenizerBase,
)


def generate_without_repeats(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    no_repeat_ngram_size: int = 3,
    max_new_tokens: int = 30,
) -> str:
    if not prompt or min(no_repeat_ngram_size, max_new_tokens) <= 0:
        raise ValueError("need a prompt, n >= 1 and max_new_tokens >= 1")
    encoded = tokenizer(prompt, return_tensors="pt")
    processors = LogitsProcessorList([NoRepeatNGramLogitsProcessor(no_repeat_ngram_size)])
    with torch.no_grad():
        output = model.generate(
            **encoded,
            logits_processor=processors,
            max_new_tokens=max_new_tokens,
            do_sample=False,
            num_beams=1,
            pad_token_id=tokenizer.eos_token_id,
        )
    new = output[0][encoded["input_ids"].shape[-1] :]
    return tokenizer.decode(new, skip_special_tokens=True)
