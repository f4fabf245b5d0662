"""Kata: find the parameters of a model that hold NaN or infinite values (seed question 99).

Run the checks with:  pytest --katas validate_parameters
"""

from __future__ import annotations

from typing import TypeVar

import torch

M = TypeVar("M", bound=torch.nn.Module)


def validate_parameters(model: M) -> M:
    """Check that every parameter of ``model`` holds finite numbers only.

    A single NaN or infinite weight (after a diverged training run, a bad conversion, a
    half-written checkpoint) makes every output NaN; this finds where it is, e.g.
    ``transformer.h.0.attn.c_attn.weight``.

    Args:
        model: any PyTorch module, typically a Transformers model. Every parameter counts:
            weights and biases, trainable and frozen.

    Returns:
        ``model`` itself, unchanged, so that a load can be validated inline:
        ``model = validate_parameters(AutoModel.from_pretrained(path))``.

    Raises:
        TypeError: when ``model`` is not a ``torch.nn.Module``.
        ValueError: when a parameter holds NaN, +inf or -inf. The message names every such
            parameter by its name in ``model.named_parameters()`` (all of them, not only the
            first). The parameters are left as they are: validation does not repair.
    """
    # TODO: collect the names of the parameters that are not all finite, raise ValueError if any.
    raise NotImplementedError
