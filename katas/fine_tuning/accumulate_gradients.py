"""Kata: gradient accumulation with activation checkpointing (seed question 50).

Run the checks with:  pytest --katas accumulate_gradients
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import torch
from transformers import PreTrainedModel


def accumulate_gradients(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    micro_batches: Sequence[Mapping[str, torch.Tensor]],
    accumulation_steps: int,
) -> list[float]:
    """Train a causal language model on micro-batches with gradient accumulation and activation
    (gradient) checkpointing, in a loop written by hand (no Trainer).

    Two ways to fit a large model in little memory: checkpointing keeps only some activations
    during the forward pass and recomputes the rest during the backward pass; accumulation runs
    several small micro-batches through forward and backward, adding up their gradients, before
    one optimizer step.

    Put the model in training mode and turn activation checkpointing on. Take the micro-batches in
    order, in groups of ``accumulation_steps`` (the last group has fewer when the count does not
    divide evenly: it still makes a step of its own, scaled for its own size). For each group,
    run forward and backward on each micro-batch, then call ``optimizer.step()`` once and clear
    the gradients. Each step must change the weights exactly as one step on the group's
    micro-batches put together as one batch would: the model's loss is the mean over the tokens
    it predicts (the positions whose label, after the shift by one, is not -100), so a group's
    loss is the sum of its token losses divided by the number of predicted tokens in the whole
    group, not the mean of the micro-batches' means (their token counts differ).

    Args:
        model: a causal language model (the checks pass GPT-2 and Llama models); trained in place.
        optimizer: the optimizer of the model's parameters; its gradients may hold what an
            earlier step left there, which must not leak into the first step.
        micro_batches: ``input_ids``, ``attention_mask`` and ``labels`` tensors for each
            micro-batch (labels are -100 where no token is predicted; every micro-batch predicts
            at least one token); a list or a tuple, left unchanged, each mapping too.
        accumulation_steps: how many micro-batches make one optimizer step, at least 1.

    Returns:
        One loss per optimizer step, in order, each a Python ``float``: the group's loss before
        its update (the mean over all the group's predicted tokens). Afterwards the model is in
        training mode with activation checkpointing still on, its gradients are cleared (zero or
        None), and its config is unchanged: the forward passes run without a key-value cache
        (``use_cache=False``), which training does not need and checkpointing cannot use.

    Raises:
        ValueError: if ``accumulation_steps`` is less than 1 or ``micro_batches`` is empty,
            before anything is changed.
    """
    # TODO: validate; train mode + checkpointing; for each group: count its predicted tokens,
    #  forward/backward each micro-batch with the right scale, then step and clear the gradients.
    raise NotImplementedError
