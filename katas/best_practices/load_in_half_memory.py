"""Kata: load a large model without running out of memory (seed question 130).

Run the checks with:  pytest --katas load_in_half_memory
"""

from __future__ import annotations

import os

import torch
from transformers import PreTrainedModel


def load_in_half_memory(
    model_name_or_path: str | os.PathLike[str],
    dtype: torch.dtype = torch.bfloat16,
) -> tuple[PreTrainedModel, int, int]:
    """Load a causal language model for inference in a 16-bit type, and say what it costs.

    A model's weights in float32 take 4 bytes a parameter; ``bfloat16`` or ``float16`` take 2.
    Load the checkpoint straight into ``dtype`` (``from_pretrained(..., dtype=dtype)``: the
    float32 weights are never all in memory at once), on the CPU, ready for inference.

    Args:
        model_name_or_path: a Hub name or local folder of a causal LM.
        dtype: ``torch.bfloat16`` or ``torch.float16``.

    Returns:
        ``(model, parameters, bytes)``: the model, every parameter of it in ``dtype``, in
        evaluation mode; the number of its parameters (a weight shared by two layers, tied
        embeddings, counted once); and the bytes its parameters and buffers take in memory.
        Both counts are Python ``int``.

    Raises:
        ValueError: if ``dtype`` is not ``torch.bfloat16`` or ``torch.float16`` (before loading).
        OSError: when no model can be found (from transformers).
    """
    # TODO: from_pretrained with dtype, then count the parameters and the bytes.
    raise NotImplementedError
