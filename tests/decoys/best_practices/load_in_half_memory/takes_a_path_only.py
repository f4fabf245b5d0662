"""Decoy for load_in_half_memory: calls model_name_or_path.exists(), so a str (a Hub name or a folder) fails.

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
    if not model_name_or_path.exists():  # MISTAKE: a str (a Hub name, a folder) has no .exists()
        raise OSError(f"no model at {model_name_or_path}")
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path, dtype=dtype, device_map="cpu")
    # num_parameters() counts each tensor once (parameters() yields a tied weight once);
    # get_memory_footprint() adds up parameters and buffers, element size times count.
    return model, model.num_parameters(), model.get_memory_footprint()
