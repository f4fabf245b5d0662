"""Decoy for load_in_half_memory: loads the checkpoint in float32 and converts the model afterwards (.to(dtype)).

caught_by: test_the_model_loads_in_16_bits_with_its_weights_and_counts
"""

from __future__ import annotations

import os

import torch
from transformers import AutoModelForCausalLM, PreTrainedModel


def load_in_half_memory(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype = torch.bfloat16,
) -> tuple[PreTrainedModel, int, int]:
    if dtype not in (torch.bfloat16, torch.float16):
        raise ValueError(f"dtype must be torch.bfloat16 or torch.float16, not {dtype}")
    # dtype= (torch_dtype= before transformers 5) loads each weight straight into 16 bits;
    # device_map="cpu" places it on the CPU as it loads. from_pretrained leaves it in eval mode.
    # MISTAKE: loads in float32, then converts: the float32 weights are all in memory once
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path).to(dtype)
    # num_parameters() counts each tensor once (parameters() yields a tied weight once);
    # get_memory_footprint() adds up parameters and buffers, element size times count.
    return model, model.num_parameters(), model.get_memory_footprint()
