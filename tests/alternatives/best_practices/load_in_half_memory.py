"""Alternative: the counts written out over parameters() (each tensor once) and buffers()."""

from __future__ import annotations

import os

import torch
from transformers import AutoModelForCausalLM, PreTrainedModel


def load_in_half_memory(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype = torch.bfloat16,
) -> tuple[PreTrainedModel, int, int]:
    if dtype is not torch.bfloat16 and dtype is not torch.float16:
        raise ValueError("a 16-bit float dtype, please")
    model = AutoModelForCausalLM.from_pretrained(model_name_or_path, dtype=dtype).eval()
    tensors = [*model.parameters(), *model.buffers()]
    count = sum(p.numel() for p in model.parameters())
    size = sum(t.numel() * t.element_size() for t in tensors)
    return model, int(count), int(size)
