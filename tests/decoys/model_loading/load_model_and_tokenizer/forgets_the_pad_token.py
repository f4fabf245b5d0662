"""Decoy for load_model_and_tokenizer: a GPT-2 tokenizer has no pad token, and this version never gives it one, so batches cannot be padded.

caught_by: test_the_tokenizer_pads_with_its_eos_token
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
    # MISTAKE: no pad token is set
    return model, tokenizer  # from_pretrained already put the model in eval mode
