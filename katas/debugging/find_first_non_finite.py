"""Kata: find the module where the first NaN or infinity appears (seed question 98).

Run the checks with:  pytest --katas find_first_non_finite
"""

from __future__ import annotations

from collections.abc import Mapping

import torch


def find_first_non_finite(model: torch.nn.Module, inputs: Mapping[str, torch.Tensor]) -> str | None:
    """Name the first submodule of ``model`` whose output holds a NaN or an infinity.

    When the logits or the loss come out NaN, the useful question is where the first bad value
    appeared: everything computed after it is contaminated. Put a forward hook on every
    submodule (``model.named_modules()``, the model itself included), run ``model(**inputs)``
    once, and report the first one to return an output that is not finite.

    Args:
        model: any torch module (a transformers model or one of your own). It runs in the mode
            it is in (training or evaluation), which is left unchanged, as are its weights.
        inputs: the keyword arguments of the forward call, e.g. a tokenizer's output; left
            unchanged.

    Returns:
        The module's name as ``named_modules()`` spells it (``""`` for the model itself, e.g.
        when the loss its own forward computes is NaN), or ``None`` when every output is finite.

        An output is not finite when any tensor in it holds NaN, +inf or -inf. Outputs are not
        always tensors: look inside tuples, lists and dicts (a ``ModelOutput`` is a dict), at
        any depth, and skip what is not a tensor (``None``, a cache object).

        "First" is in the order the submodules return during the forward: a hook runs when its
        module returns, so an inner module comes before the module that called it, and a module
        that runs earlier comes first even if it was registered later.

    The forward runs once, without autograd (no graph is built). Every hook this function adds
    is removed before it returns, also when the forward raises; hooks that were already there
    stay.

    Raises:
        TypeError: when ``inputs`` is not a mapping (e.g. a tensor of input ids), before any
            hook is added.
        Exception: whatever the forward raises propagates unchanged.
    """
    # TODO: hook every submodule, run the model once without autograd, remove the hooks.
    raise NotImplementedError
