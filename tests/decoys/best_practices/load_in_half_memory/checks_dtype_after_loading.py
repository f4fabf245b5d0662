"""Decoy for load_in_half_memory: checks dtype only after loading the model.

caught_by: test_a_dtype_that_is_not_16_bit_float_raises_value_error
"""

from __future__ import annotations

import os

import torch
from transformers import AutoModelForCausalLM, PreTrainedModel


def load_in_half_memory(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype = torch.bfloat16,
) -> tuple[PreTrainedModel, int, int]:
    # dtype= (torch_dtype= before transformers 5) loads each weight straight into 16 bits;
    # device_map="cpu" places it on the CPU as it loads. from_pretrained leaves it in eval mode.
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path, dtype=dtype, device_map="cpu")
    if dtype not in (torch.bfloat16, torch.float16):  # MISTAKE: checked after loading
        raise ValueError(f"dtype must be torch.bfloat16 or torch.float16, not {dtype}")
    # num_parameters() counts each tensor once (parameters() yields a tied weight once);
    # get_memory_footprint() adds up parameters and buffers, element size times count.
    return model, model.num_parameters(), model.get_memory_footprint()
