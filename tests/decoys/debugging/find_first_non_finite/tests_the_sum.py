"""Decoy for find_first_non_finite: tests torch.isfinite(output.sum()), which overflows to inf for large finite values.

caught_by: test_large_finite_values_are_finite
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
            if any(not torch.isfinite(tensor.sum()) for tensor in _tensors(output)):  # MISTAKE
                bad.append(name)

        return hook

    handles = [module.register_forward_hook(watch(name)) for name, module in model.named_modules()]
    try:
        with torch.inference_mode():  # no graph: we only look at the values
            model(**inputs)
    finally:  # the hooks go, whether the forward returned or raised
        for handle in handles:
            handle.remove()
    return bad[0] if bad else None
