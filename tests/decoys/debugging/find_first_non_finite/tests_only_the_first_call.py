"""Decoy for find_first_non_finite: tests only the first output of a module called twice.

caught_by: test_a_module_called_twice_is_tested_at_each_call
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
    finite: dict[str, bool] = {}  # whether each module's output is finite, in the order they return

    def watch(name: str):
        def hook(module: torch.nn.Module, args: tuple, output: object) -> None:
            # isfinite is False for NaN, +inf and -inf alike (isnan misses infinities)
            finite.setdefault(
                name, all(torch.isfinite(tensor).all() for tensor in _tensors(output))
            )  # MISTAKE

        return hook

    handles = [module.register_forward_hook(watch(name)) for name, module in model.named_modules()]
    try:
        with torch.inference_mode():  # no graph: we only look at the values
            model(**inputs)
    finally:  # the hooks go, whether the forward returned or raised
        for handle in handles:
            handle.remove()
    return next((name for name, ok in finite.items() if not ok), None)
