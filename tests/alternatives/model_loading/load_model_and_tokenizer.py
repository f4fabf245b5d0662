"""Alternative: a text-generation pipeline loads both pieces; take them from it."""

from __future__ import annotations

import os

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, pipeline


def load_model_and_tokenizer(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype | None = None,
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    generator = pipeline("text-generation", model=str(model_name_or_path), dtype=dtype)
    tokenizer = generator.tokenizer
    if tokenizer.pad_token_id is None:
        tokenizer.pad_token = tokenizer.eos_token
    return generator.model, tokenizer
