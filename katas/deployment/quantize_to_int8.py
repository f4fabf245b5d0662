"""Kata: int8 weight quantization of a Transformers model (seed question 76).

Run the checks with:  pytest --katas quantize_to_int8
"""

from __future__ import annotations

import torch
from torch import nn


def quantize_to_int8(model: nn.Module) -> nn.Module:
    """A copy of the model whose linear layers keep their weights in int8 (weight-only quantization).

    Every ``torch.nn.Linear`` of the copy, except the output embeddings
    (``model.get_output_embeddings()``, when the model has them), is replaced by a module of your
    own that holds, as buffers:

    - ``weight_int8``: the weight quantized to ``torch.int8``, same shape as the Linear's weight;
    - ``scale``: ``torch.float32`` of shape ``(out_features,)``, one value per output row: the
      row's largest absolute weight (computed in float32) divided by 127; a row of zeros gets
      scale 1.0;

    where ``weight_int8 = round(weight / scale)`` per row (to the nearest integer, clamped to
    -127..127), and the Linear's ``bias`` (if any) as it was. Its forward computes
    ``torch.nn.functional.linear(x, weight_int8 * scale, bias)`` with the dequantized weight in
    ``x``'s dtype. The replaced module keeps no floating-point copy of the weight, so the copy's
    ``state_dict()`` takes fewer bytes. Other modules (embeddings, LayerNorms, GPT-2's ``Conv1D``
    layers, which are not ``nn.Linear``) are left as they are. Every module of the copy is in the
    training mode of ``model``.

    Args:
        model: the float model to quantize (the checks pass tiny BERT and Llama models); it is left
            unchanged: same modules, same weights, same mode.

    Returns:
        The quantized copy.

    Raises:
        TypeError: if ``model`` is not a ``torch.nn.Module``.
    """
    # TODO: deep-copy the model, then swap each nn.Linear (but the output head) for an int8 module.
    raise NotImplementedError
