"""Hidden checks: validate_parameters."""

from __future__ import annotations

import math

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises


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


def test_a_healthy_model_is_returned_unchanged(kata, tiny_gpt2, tiny_bert):
    for zoo_model in (tiny_gpt2, tiny_bert):
        model = zoo_model.load_model()
        before = {name: param.detach().clone() for name, param in model.named_parameters()}
        result = kata(model)
        expect(
            result is model,
            kata,
            got=f"it returned {describe(result)}",
            expected="the model it was given, so that a load can be validated inline",
        )
        changed = [name for name, param in model.named_parameters() if not torch.equal(param, before[name])]
        expect(
            not changed,
            kata,
            got=f"changed parameters: {changed[:3]}",
            expected="the parameters left as they were",
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
    [{"weight": torch.zeros(2)}, torch.zeros(3), "./checkpoint"],
    ids=["state dict", "tensor", "path"],
)
def test_what_is_not_a_module_raises_type_error(kata, bad_input):
    expect_raises(kata, TypeError, bad_input, because="only a torch.nn.Module has named parameters to check")
