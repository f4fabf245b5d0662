"""Hidden checks: validate_parameters."""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch

from pytest_tfkatas.harness import KataFunction, describe, expect, expect_raises, fail_call


def poison(model: torch.nn.Module, name: str, value: float, count: int = 3) -> torch.Tensor:
    """Write ``value`` into ``count`` seeded-random places of the parameter ``name``; return it."""
    param = dict(model.named_parameters())[name]
    places = torch.randperm(param.numel())[:count]
    with torch.no_grad():
        param.view(-1)[places] = value
    return param


def names_wrongly_blamed(model: torch.nn.Module, message: str, poisoned: list[str]) -> list[str]:
    """Healthy parameters that the message names (ignoring names contained in a poisoned one)."""
    return [
        name
        for name, _ in model.named_parameters()
        if name not in poisoned and not any(name in bad for bad in poisoned) and name in message
    ]


def state_of(model: torch.nn.Module) -> dict[str, Any]:
    """Everything of ``model`` that validation must leave alone, to compare before and after."""
    return {
        "values": {name: param.detach().clone() for name, param in model.named_parameters()},
        "requires_grad": {name: param.requires_grad for name, param in model.named_parameters()},
        "dtype": {name: param.dtype for name, param in model.named_parameters()},
        "training": {name: module.training for name, module in model.named_modules()},
    }


def changes(model: torch.nn.Module, before: dict[str, Any]) -> list[str]:
    """What differs between ``model`` now and its ``state_of`` before the call, in words."""
    after = state_of(model)
    found = []
    for name, value in after["values"].items():
        old = before["values"].get(name)
        if old is None or old.dtype != value.dtype or not torch.equal(old, value):
            found.append(f"the values of {name}")
    for what in ("requires_grad", "dtype", "training"):
        for name, value in after[what].items():
            if before[what].get(name) != value:
                found.append(
                    f"{'.'.join(filter(None, ['model', name, what]))} {before[what].get(name)} -> {value}"
                )
    return found


def returns_model(kata: KataFunction, model: torch.nn.Module, *, because: str) -> None:
    """Call ``kata`` on a healthy ``model``: it must come back, itself and unchanged."""
    __tracebackhide__ = True
    before = state_of(model)
    try:
        result = kata(model)
    except Exception as error:
        fail_call(
            kata,
            got=f"it raised {type(error).__name__}: {error}",
            expected=f"the model returned: {because}",
        )
    expect(
        result is model,
        kata,
        got=f"it returned {describe(result)}",
        expected="the model it was given, so that a load can be validated inline",
    )
    changed = changes(model, before)
    expect(
        not changed,
        kata,
        got=f"the call changed {', '.join(changed[:3])}{' ...' if len(changed) > 3 else ''}",
        expected="the model returned unchanged: its values, dtypes, requires_grad flags and train/eval modes",
        tip=(
            "only read the parameters: no model.eval(), no requires_grad_(False), no .float() or "
            ".to(...) on the model (torch.no_grad() or param.detach() is enough to read them)."
        ),
    )


class HoldsAModel:
    """Not a torch.nn.Module: an object that holds one and passes named_parameters() on to it."""

    def __init__(self) -> None:
        self.model = torch.nn.Linear(2, 2)

    def named_parameters(self, *args: Any, **kwargs: Any) -> Any:
        return self.model.named_parameters(*args, **kwargs)

    def parameters(self, *args: Any, **kwargs: Any) -> Any:
        return self.model.parameters(*args, **kwargs)

    def __repr__(self) -> str:
        return "<HoldsAModel: not a Module, though it has named_parameters()>"


def test_a_healthy_model_is_returned_unchanged(kata, tiny_gpt2, tiny_bert, tiny_llama):
    for zoo_model in (tiny_gpt2, tiny_bert, tiny_llama):
        model = zoo_model.load_model()
        # A model in the middle of training: train mode with a few modules in eval mode, a few
        # parameters frozen. Validation must leave every flag as it found it.
        model.train()
        modules = list(model.modules())
        for module in modules[1::4]:
            module.eval()
        for param in list(model.parameters())[::3]:
            param.requires_grad_(False)
        returns_model(kata, model, because=f"every parameter of the {type(model).__name__} is finite")


@pytest.mark.parametrize("dtype", ["float32", "float16", "bfloat16"])
def test_the_largest_finite_values_of_every_dtype_are_healthy(kata, tiny_gpt2, tiny_gpt2_bf16, dtype):
    """A model in its own dtype (tiny_gpt2_bf16 is saved in bfloat16, which numpy has no type for),
    with its dtype's largest finite value in a few places: finite, although their sum is not."""
    if dtype == "bfloat16":
        model = tiny_gpt2_bf16.load_model()
    else:
        model = tiny_gpt2.load_model().to(getattr(torch, dtype))
    largest = torch.finfo(getattr(torch, dtype)).max
    poison(model, "transformer.h.0.mlp.c_fc.weight", largest, count=4)
    poison(model, "transformer.h.1.attn.c_attn.bias", -largest, count=4)
    returns_model(
        kata,
        model,
        because=(
            f"{largest:.6g} is the largest finite {dtype}: every parameter is finite, even where "
            "their sum or mean overflows"
        ),
    )
    bad = "transformer.h.1.mlp.c_proj.weight"
    poison(model, bad, math.nan)
    error = expect_raises(
        kata, ValueError, model, match=bad, because=f"the {dtype} parameter {bad} holds NaN values"
    )
    wrongly = names_wrongly_blamed(model, str(error), [bad])
    expect(
        not wrongly,
        kata,
        got=f"ValueError: {error}",
        expected=f"a message that names {bad} only, not the healthy {wrongly[:2]}",
        tip="test each value (torch.isfinite(param).all()), not a sum or mean that can overflow.",
    )


def test_buffers_are_not_parameters(kata, tiny_gpt2):
    """An additive attention mask (-inf where a token may not look) is a buffer, not a parameter."""
    mask = torch.full((8, 8), -math.inf).triu(1)
    module = torch.nn.Module()
    module.register_buffer("causal_mask", mask.clone())
    returns_model(kata, module, because="a module without parameters has no bad parameter")
    model = tiny_gpt2.load_model()
    model.transformer.register_buffer("causal_mask", mask.clone())
    returns_model(
        kata,
        model,
        because="the -inf values are in the buffer transformer.causal_mask, which is not a parameter",
    )
    bad = "transformer.h.0.attn.c_proj.bias"
    poison(model, bad, math.inf, count=1)
    error = expect_raises(kata, ValueError, model, match=bad, because=f"the parameter {bad} holds inf")
    expect(
        "causal_mask" not in str(error),
        kata,
        got=f"ValueError: {error}",
        expected=f"a message that names the parameter {bad} only, not the buffer causal_mask",
        tip="model.named_parameters() yields the parameters; model.state_dict() holds the buffers too.",
    )


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("transformer.h.0.attn.c_attn.weight", math.nan),
        ("transformer.h.1.mlp.c_proj.bias", math.inf),
        ("transformer.ln_f.weight", -math.inf),
        ("transformer.wte.weight", math.nan),
    ],
    ids=["nan weight", "inf bias", "minus inf layer norm", "nan embedding"],
)
def test_a_non_finite_parameter_is_named_in_the_error(kata, tiny_gpt2, name, value):
    model = tiny_gpt2.load_model()
    param = poison(model, name, value)
    kind = "NaN" if math.isnan(value) else str(value)
    error = expect_raises(
        kata,
        ValueError,
        model,
        match=name,
        because=f"{name} holds {kind} values (torch.isfinite finds NaN and ±inf alike)",
    )
    wrongly = names_wrongly_blamed(model, str(error), [name])
    expect(
        not wrongly,
        kata,
        got=f"ValueError: {error}",
        expected=f"a message that names {name} only, not the healthy {wrongly[:2]}",
    )
    expect(
        not torch.isfinite(param).all(),
        kata,
        got=f"{name} repaired to finite values",
        expected="the parameters left as they were: validation reports, it does not repair",
        tip="do not call nan_to_num (or change the weights at all); raise ValueError.",
    )


def test_every_bad_parameter_is_named(kata, tiny_gpt2):
    model = tiny_gpt2.load_model()
    bad = ["transformer.h.0.mlp.c_fc.weight", "transformer.h.1.attn.c_attn.bias", "transformer.wpe.weight"]
    poison(model, bad[0], math.nan, count=1)
    poison(model, bad[1], math.inf, count=2)
    poison(model, bad[2], -math.inf, count=5)
    error = expect_raises(kata, ValueError, model, match=bad[0], because=f"{', '.join(bad)} are not finite")
    missing = [name for name in bad if name not in str(error)]
    expect(
        not missing,
        kata,
        got=f"ValueError: {error}",
        expected=f"one error that names all three bad parameters; it misses {missing}",
        tip="check every parameter first, collect the bad names in a list, then raise once with all of them.",
    )


def test_frozen_parameters_are_checked_too(kata, tiny_bert):
    model = tiny_bert.load_model()
    for param in model.bert.embeddings.parameters():
        param.requires_grad_(False)
    bad = ["bert.embeddings.word_embeddings.weight", "classifier.bias"]
    poison(model, bad[0], math.nan)
    poison(model, bad[1], math.inf, count=1)
    error = expect_raises(
        kata,
        ValueError,
        model,
        match=bad[0],
        because=f"the frozen {bad[0]} holds NaN: a frozen weight is still used in every forward pass",
    )
    expect(
        bad[1] in str(error),
        kata,
        got=f"ValueError: {error}",
        expected=f"a message that also names {bad[1]}, which holds inf",
    )


@pytest.mark.parametrize(
    "bad_input",
    [{"weight": torch.zeros(2)}, torch.zeros(3), "./checkpoint", None, HoldsAModel()],
    ids=["state dict", "tensor", "path", "None", "an object with named_parameters"],
)
def test_what_is_not_a_module_raises_type_error(kata, bad_input):
    expect_raises(
        kata,
        TypeError,
        bad_input,
        because=f"{describe(bad_input)} is not a torch.nn.Module (check isinstance, not what it has)",
    )
