"""Decoy for find_first_non_finite: turns autograd off with torch.set_grad_enabled(False) and back on at the end, even when the caller had it off.

caught_by: test_a_finite_forward_gives_none_and_leaves_everything_as_it_was
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

import torch


def _tensors(output: object) -> Iterator[torch.Tensor]:
    """Every tensor in an output: a tensor, or tuples, lists and dicts (ModelOutput) of them."""
    if isinstance(output, torch.Tensor):
        yield output
    elif isinstance(output, Mapping):
        for value in output.values():
            yield from _tensors(value)
    elif isinstance(output, (tuple, list)):
        for value in output:
            yield from _tensors(value)


def find_first_non_finite(model: torch.nn.Module, inputs: Mapping[str, torch.Tensor]) -> str | None:
    if not isinstance(inputs, Mapping):
        raise TypeError(f"inputs must be a mapping of keyword arguments, got {type(inputs).__name__}")
    bad: list[str] = []  # names of the submodules with a non-finite output, in the order they return

    def watch(name: str):
        def hook(module: torch.nn.Module, args: tuple, output: object) -> None:
            # isfinite is False for NaN, +inf and -inf alike (isnan misses infinities)
            if any(not torch.isfinite(tensor).all() for tensor in _tensors(output)):
                bad.append(name)

        return hook

    handles = [module.register_forward_hook(watch(name)) for name, module in model.named_modules()]
    try:
        torch.set_grad_enabled(False)  # no graph: we only look at the values
        model(**inputs)
    finally:  # the hooks go, whether the forward returned or raised
        torch.set_grad_enabled(True)  # MISTAKE: the caller may have had it off
        for handle in handles:
            handle.remove()
    return bad[0] if bad else None
