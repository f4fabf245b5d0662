"""Decoy for load_model_and_tokenizer: a failed load is caught and (None, None) returned, hiding the OSError the caller needs.

caught_by: test_a_missing_model_raises_oserror
"""

from __future__ import annotations

import os

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase


def load_model_and_tokenizer(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype | None = None,
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    except OSError:  # MISTAKE: the error is swallowed
        return None, None  # type: ignore[return-value]
    # AutoModel would load the bare backbone (hidden states only); generation needs the
    # language-modelling head, which AutoModelForCausalLM adds. `dtype=` is the transformers 5
    # name of the old `torch_dtype=`; None keeps the checkpoint's dtype.
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path, dtype=dtype)
    # GPT-2-style tokenizers ship without a pad token: reuse end-of-sequence, the usual choice
    # for decoder-only models (the attention mask hides the padding anyway).
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer  # from_pretrained already put the model in eval mode
