"""Kata: the overfit-one-batch sanity test of a training setup (seed question 102).

Run the checks with:  pytest --katas overfit_one_batch
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import torch
from transformers import PreTrainedModel

Reason = Literal["converged", "max_steps", "frozen", "no_update", "not_finite"]


@dataclass(frozen=True)
class OverfitResult:
    """What the overfit test found (given: return one of these).

    reason: why the test stopped (see ``overfit_one_batch``).
    losses: the loss of each step, in order, as Python floats; ``len(losses)`` is the number
        of steps taken.
    """

    reason: Reason
    losses: list[float]

    @property
    def converged(self) -> bool:
        return self.reason == "converged"


def overfit_one_batch(
    model: PreTrainedModel,
    optimizer: torch.optim.Optimizer,
    batch: Mapping[str, torch.Tensor],
    *,
    threshold: float,
    max_steps: int = 100,
) -> OverfitResult:
    """Train on one fixed batch until the loss falls below ``threshold``: can the setup learn?

    A model that cannot memorise a single batch will not learn from a dataset either, and a
    long run only hides why. This test fails fast and says why.

    The arguments are checked first (see Raises). Then, if no parameter of ``optimizer`` requires
    grad, nothing can learn: return at once, reason ``"frozen"``, no losses, the model untouched
    (not even its mode).

    Otherwise put the model in training mode (and leave it there), then repeat, at most
    ``max_steps`` times, a step: clear the gradients, compute the model's own loss on
    ``batch`` and record it (a Python float); then

    - if the loss is NaN or infinite, stop: ``"not_finite"``;
    - if it is below ``threshold`` (strictly: equal is not below), stop: ``"converged"``;
    - otherwise backpropagate it and step the optimizer. If that first update left every
      parameter of the optimizer that requires grad exactly as it was (a learning rate of 0,
      an optimizer built for another copy of the model...), stop: ``"no_update"``.

    When a step stops the test, no update follows its loss: after ``"converged"`` the model is
    the one that reached the threshold. After ``max_steps`` steps without stopping:
    ``"max_steps"``.

    Args:
        model: the model to train, in place.
        optimizer: its optimizer, used as it is (learning rate and all).
        batch: ``input_ids``, ``labels`` and maybe ``attention_mask``; left unchanged.
        threshold: the loss to get below; a finite number > 0.
        max_steps: the most steps to take; an int >= 1.

    Returns:
        ``OverfitResult(reason, losses)``: the reason (one of the five above) and the loss of
        every step taken, in order.

    Raises:
        ValueError: if ``max_steps`` is not an int >= 1, ``threshold`` is not a finite number
            > 0, or ``batch`` has no ``labels``; before anything is changed.
    """
    # TODO: validate; "frozen" check; then measure, stop or step, up to max_steps times.
    raise NotImplementedError
