"""Decoy for load_model_and_tokenizer: GPT-2's class hard-coded; a Llama checkpoint then loads into a GPT-2 model with fresh weights (or fails), though the contract takes any causal LM.

caught_by: test_a_llama_checkpoint_loads_as_a_llama_with_its_weights_and_keeps_its_pad_token
"""

from __future__ import annotations

import os

import torch
from transformers import AutoTokenizer, GPT2LMHeadModel, PreTrainedModel, PreTrainedTokenizerBase


def load_model_and_tokenizer(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype | None = None,
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    # AutoModel would load the bare backbone (hidden states only); generation needs the
    # language-modelling head, which AutoModelForCausalLM adds. `dtype=` is the transformers 5
    # name of the old `torch_dtype=`; None keeps the checkpoint's dtype.
    model = GPT2LMHeadModel.from_pretrained(model_name_or_path, dtype=dtype)  # MISTAKE
    # GPT-2-style tokenizers ship without a pad token: reuse end-of-sequence, the usual choice
    # for decoder-only models (the attention mask hides the padding anyway).
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer  # from_pretrained already put the model in eval mode
