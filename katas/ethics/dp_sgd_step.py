"""Kata: one step of differentially private SGD (seed question 152).

Run the checks with:  pytest --katas dp_sgd_step
"""

from __future__ import annotations

from collections.abc import Mapping

import torch
from transformers import PreTrainedModel


def dp_sgd_step(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    *,
    max_grad_norm: float,
    noise_multiplier: float,
    generator: torch.Generator,
) -> torch.Tensor:
    """Take one DP-SGD step: clip each example's gradient, add Gaussian noise, then step.

    For each example ``i`` of the batch, alone: its loss is the model's own loss on that example
    (``input_ids`` of shape ``(1, T)`` and its label), and ``g_i`` its gradient with respect to
    the trainable parameters (``requires_grad=True``), computed with ``torch.func`` (per-example
    gradients: ``functional_call`` with ``vmap`` over ``grad``). ``norm_i`` is the L2 norm of
    ``g_i`` over all trainable parameters jointly, and the clipped gradient is
    ``g_i * min(1, max_grad_norm / (norm_i + 1e-6))``. The step's gradient of each trainable
    parameter is ``(sum of the clipped g_i + noise) / batch size``, where the noise has one
    independent draw from ``N(0, (noise_multiplier * max_grad_norm) ** 2)`` per element, taken from
    ``generator`` (not from torch's global random state). It replaces what ``.grad`` held, and
    then ``optimizer.step()`` is called once.

    Args:
        model: a sequence classifier that returns a loss given labels (the checks pass BERT-style
            ones); its forward passes run in evaluation mode (no dropout), and it is left in the
            mode it was in. Frozen parameters (``requires_grad=False``) keep their values and
            their ``.grad``.
        optimizer: the optimizer of the model's parameters (frozen ones may be among them).
        batch: ``input_ids`` of shape ``(B, T)`` and ``labels`` of shape ``(B,)``; rows are
            full sequences of one length, without padding, so the model gets no attention mask.
            Not changed.
        max_grad_norm: the clipping bound C, positive.
        noise_multiplier: sigma, at least 0 (0: no noise).
        generator: the only source of the noise; the same generator state gives the same step.

    Returns:
        The per-example norms ``norm_i`` before clipping: a float32 tensor of shape ``(B,)`` that
        does not require grad.

    Raises:
        ValueError: before anything changes, if ``max_grad_norm`` is not positive or
            ``noise_multiplier`` is negative (NaN counts as neither), or if ``batch`` has no
            ``labels`` or no examples.
    """
    # TODO: vmap(grad(loss of one example)) over the batch, joint norms, clip factors, weighted
    # sum, noise from the generator, divide by B, write .grad, optimizer.step().
    raise NotImplementedError
