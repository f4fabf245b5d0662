"""Kata: one mixed-precision training step (seed question 48).

Run the checks with:  pytest --katas mixed_precision_step
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def mixed_precision_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
) -> float:
    """Take one training step in bfloat16 mixed precision on the CPU, by hand (no Trainer).

    Mixed precision runs the forward pass's matrix products in a 16-bit type while the weights
    stay in float32. ``TrainingArguments(bf16=True)`` does it for the Trainer; here it is written
    out: the forward pass (the loss included) runs under
    ``torch.autocast(device_type="cpu", dtype=torch.bfloat16)``, then the loss is
    backpropagated and the optimizer steps. (backward() and step() are best called after the
    autocast block; inside it they give the same result.) float16 is for GPUs: on the CPU use
    bfloat16, which has float32's range, so no gradient scaling is needed.

    Args:
        model: a model that returns a loss when it is given labels, with float32 parameters
            (the checks pass causal language models and a sequence classifier); trained in place.
        optimizer: the optimizer of the model's parameters; its gradients may hold what an
            earlier step left there.
        batch: ``input_ids``, ``labels`` and maybe ``attention_mask`` tensors, all passed to the
            model; the batch itself is not changed.

    Returns:
        The model's loss on this batch before the update, computed under autocast, as a Python
        ``float`` (the float32 loss's value, not rounded to bfloat16). The model's parameters
        (and their gradients) are still float32, the model is left in training mode, and
        autocast is off again after the call.

    Raises:
        ValueError: if ``batch`` has no ``labels``, or a parameter of the model is not float32
            (mixed precision keeps the float32 weights; a model cast to 16 bits is not mixed
            precision), before anything is changed.
    """
    # TODO: train mode, zero_grad, forward under bfloat16 autocast, backward, step.
    raise NotImplementedError
