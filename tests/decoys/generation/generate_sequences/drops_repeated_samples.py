"""Decoy for generate_sequences: repeated samples are dropped, so fewer sequences than asked for come back when two samples are the same.

caught_by: test_repeated_samples_are_all_kept_in_order
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, set_seed


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
    if not prompt:
        raise ValueError("prompt must not be empty: a causal LM needs at least one token to continue")
    for name, value in [
        ("num_return_sequences", num_return_sequences),
        ("max_new_tokens", max_new_tokens),
        ("num_beams", num_beams),
    ]:
        if value < 1:
            raise ValueError(f"{name} must be at least 1, got {value}")
    if num_beams > 1 and num_return_sequences > num_beams:
        raise ValueError(
            f"beam search keeps {num_beams} beams: it cannot return {num_return_sequences} sequences"
        )
    inputs = tokenizer(prompt, return_tensors="pt")
    # Greedy decoding with num_return_sequences > 1 is a ValueError in transformers 5: several
    # answers come from sampling, or from the best beams of a beam search.
    strategy = {"do_sample": True} if num_beams == 1 else {"num_beams": num_beams, "do_sample": False}
    if seed is not None and num_beams == 1:
        set_seed(seed)  # right before generate(), so the same seed gives the same samples
    with torch.no_grad():
        outputs = model.generate(
            **inputs,
            max_new_tokens=max_new_tokens,
            num_return_sequences=num_return_sequences,
            **strategy,
        )
    # One row per sequence, each starting with the prompt: keep what comes after it. Rows that
    # ended early are padded; skip_special_tokens drops the padding and the end-of-text token.
    texts = tokenizer.batch_decode(outputs[:, inputs["input_ids"].shape[1] :], skip_special_tokens=True)
    return list(dict.fromkeys(texts))  # MISTAKE: drops the samples that repeat
