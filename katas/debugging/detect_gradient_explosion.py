"""Kata: detect exploding gradients from the global gradient norm (seed question 105).

Run the checks with:  pytest --katas detect_gradient_explosion
"""

from __future__ import annotations

import math

import torch


def detect_gradient_explosion(model: torch.nn.Module, threshold: float = 10.0) -> tuple[float, bool]:
    """Measure the global gradient norm of ``model`` and say whether it exploded.

    Call it after ``loss.backward()`` and before ``optimizer.step()``::

        outputs = model(**batch, labels=batch["input_ids"])
        outputs.loss.backward()
        norm, exploded = detect_gradient_explosion(model, threshold=10.0)

    The global norm is the L2 norm of all gradients taken together as one vector,
    ``sqrt(sum over parameters of sum(grad ** 2))``: the number gradient clipping (and the
    Trainer's ``max_grad_norm``) works with.

    Args:
        model: a module whose gradients are filled in. Parameters whose ``.grad`` is None
            (frozen, or unused in this step) are left out.
        threshold: the largest healthy norm; must be positive.

    Returns:
        ``(norm, exploded)``: the global norm as a Python float, and True when the norm is above
        ``threshold`` or not finite (a NaN or infinite gradient is the worst explosion of all).
        The gradients are left unchanged.

    Raises:
        ValueError: when ``threshold`` is not positive, or when no parameter has a gradient
            (``backward()`` was not called).
    """
    # TODO: combine the gradients' L2 norms into one global norm, then compare it with threshold.
    raise NotImplementedError
