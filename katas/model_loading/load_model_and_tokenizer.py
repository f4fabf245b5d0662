"""Kata: load a model and its tokenizer, ready to generate (seed question 7).

Run the checks with:  pytest --katas load_model_and_tokenizer
"""

from __future__ import annotations

import os

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def load_model_and_tokenizer(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype | None = None,
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """Load a causal language model and its tokenizer, ready for batched generation.

    Args:
        model_name_or_path: a Hub model name or a local folder written by ``save_pretrained``
            (the checks pass tiny local GPT-2-style models; nothing is downloaded).
        dtype: the floating-point type for the model's parameters, e.g. ``torch.bfloat16``;
            ``None`` keeps the checkpoint's own type.

    Returns:
        ``(model, tokenizer)``: the model *with its language-modelling head* (its outputs have
        ``logits`` over the vocabulary) and the pretrained weights, and the checkpoint's own
        tokenizer. A tokenizer that has no pad token (GPT-2's has none) gets its end-of-sequence
        token as pad token, so that batches of prompts can be padded.

    Raises:
        OSError: when no model can be found at ``model_name_or_path`` (let the error that
            transformers raises propagate).
    """
    # TODO: load the tokenizer and the model, give the tokenizer a pad token if it lacks one.
    raise NotImplementedError
