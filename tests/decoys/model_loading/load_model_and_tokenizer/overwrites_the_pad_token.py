"""Decoy for load_model_and_tokenizer: always sets pad_token = eos_token, replacing a tokenizer's own pad token.

caught_by: test_a_llama_checkpoint_loads_as_a_llama_with_its_weights_and_keeps_its_pad_token
"""

from __future__ import annotations

import os

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedModel, PreTrainedTokenizerBase


def load_model_and_tokenizer(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype | None = None,
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    # AutoModel would load the bare backbone (hidden states only); generation needs the
    # language-modelling head, which AutoModelForCausalLM adds. `dtype=` is the transformers 5
    # name of the old `torch_dtype=`; None keeps the checkpoint's dtype.
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path, dtype=dtype)
    # GPT-2-style tokenizers ship without a pad token: reuse end-of-sequence, the usual choice
    # for decoder-only models (the attention mask hides the padding anyway).
    tokenizer.pad_token = tokenizer.eos_token  # MISTAKE: replaces a pad token that exists
    return model, tokenizer  # from_pretrained already put the model in eval mode
