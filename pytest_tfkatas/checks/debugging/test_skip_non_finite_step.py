"""Hidden checks: skip_non_finite_step."""

from __future__ import annotations

import copy
import math
from types import MappingProxyType

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import one_training_step as replay
from pytest_tfkatas.checks.helpers import weights_apart as distance
from pytest_tfkatas.harness import describe, expect, expect_raises

NO_DROPOUT = {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0}


def setup(optimizer: str, padding_side: str = "right"):
    model = zoo.get("gpt2").load_model(**NO_DROPOUT)
    tokenizer = zoo.get("gpt2").load_tokenizer()
    tokenizer.pad_token = tokenizer.eos_token
    batch = dict(tokenizer(zoo.corpus()[5:8], padding=True, padding_side=padding_side, return_tensors="pt"))
    batch["labels"] = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    make = {"sgd": lambda p: torch.optim.SGD(p, lr=0.5), "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2)}
    return model, make[optimizer](model.parameters()), batch


def optimizer_state(optimizer) -> list:
    return [
        {key: value.clone() if isinstance(value, torch.Tensor) else value for key, value in state.items()}
        for state in optimizer.state.values()
    ]


def same_state(one: list, other: list) -> bool:
    return len(one) == len(other) and all(
        a.keys() == b.keys()
        and all(torch.equal(a[k], b[k]) if isinstance(a[k], torch.Tensor) else a[k] == b[k] for k in a)
        for a, b in zip(one, other, strict=True)
    )


def poison(model, how: str):
    """Make this step's loss or one gradient not finite, the way a bad batch or an overflow does."""
    if how in ("nan loss", "inf loss"):
        factor = math.nan if how == "nan loss" else math.inf

        def hook(module, args, output):
            output["loss"] = output["loss"] * factor
            return output

        return model.register_forward_hook(hook)
    parameter = model.transformer.ln_f.weight
    return parameter.register_hook(lambda grad: grad * math.inf)


def check_result(kata, result, loss: float, stepped: bool, what: str) -> None:
    __tracebackhide__ = True
    ok_shape = isinstance(result, tuple) and len(result) == 2
    expect(ok_shape, kata, got=describe(result), expected="a tuple (loss, stepped)")
    got_loss, got_stepped = result
    same_loss = type(got_loss) is float and (
        math.isclose(got_loss, loss, rel_tol=1e-5) if math.isfinite(loss) else repr(got_loss) == repr(loss)
    )
    expect(
        same_loss and got_stepped is stepped,
        kata,
        got=f"({got_loss!r}, {got_stepped!r})",
        expected=f"({loss!r}, {stepped}): {what}",
        tip="return loss.item() (NaN and inf included) and a bool: whether optimizer.step() ran.",
    )


@pytest.mark.parametrize("optimizer", ["sgd", "adamw"])
def test_a_finite_step_updates_the_model(kata, optimizer):
    model, opt, batch = setup(optimizer)
    for parameter in model.parameters():  # what an earlier step may have left in .grad
        parameter.grad = torch.full_like(parameter, 0.25)
    expected_model, expected_opt = copy.deepcopy((model, opt))
    loss = replay(expected_model, expected_opt, batch)
    result = kata(model, opt, batch)
    check_result(kata, result, loss, True, "the loss and every gradient were finite: one step")
    expect(
        distance(model, expected_model) < 1e-5 and model.training,
        kata,
        got=f"weights {distance(model, expected_model):.2e} away from one step, training={model.training}",
        expected="one step: train(), zero_grad(), loss.backward(), optimizer.step()",
        tip="clear the gradients first: .grad may hold what an earlier step left there.",
    )


@pytest.mark.parametrize("batch_kind", ["left padded, read-only", "without attention_mask"])
def test_a_batch_as_the_contract_allows_with_a_frozen_parameter(kata, batch_kind):
    """A read-only Mapping (nothing may be popped from it), left padding (the attention_mask
    matters), or no attention_mask at all; the position embeddings frozen (no gradient)."""
    model, opt, batch = setup("sgd", padding_side="left")
    if batch_kind == "without attention_mask":
        batch = {"input_ids": batch["input_ids"][:1], "labels": batch["input_ids"][:1].clone()}
    model.transformer.wpe.weight.requires_grad_(False)
    expected_model, expected_opt = copy.deepcopy((model, opt))
    loss = replay(expected_model, expected_opt, batch)
    before = {key: value.clone() for key, value in batch.items()}
    given = MappingProxyType(batch) if batch_kind == "left padded, read-only" else batch
    result = kata(model, opt, given)
    check_result(
        kata, result, loss, True, f"a finite step on a batch {batch_kind}, position embeddings frozen"
    )
    expect(
        distance(model, expected_model) < 1e-5,
        kata,
        got=f"weights {distance(model, expected_model):.2e} away from one step",
        expected="one step on model(**batch): every key of the batch passed, the attention_mask too",
    )
    expect(
        batch.keys() == before.keys() and all(torch.equal(batch[key], before[key]) for key in before),
        kata,
        got=f"the batch changed to keys {sorted(batch)}",
        expected=f"the batch left unchanged, keys {sorted(before)}",
    )


@pytest.mark.parametrize("how", ["nan loss", "inf loss", "inf gradient"])
@pytest.mark.parametrize("optimizer", ["sgd", "adamw"])
def test_a_non_finite_step_changes_nothing_and_says_so(kata, optimizer, how):
    model, opt, batch = setup(optimizer)
    replay(model, opt, batch)  # a first, good step: Adam has moments and a step count now
    untouched, untouched_opt = copy.deepcopy((model, opt))
    state = optimizer_state(opt)
    handle = poison(model, how)
    with torch.no_grad():
        probe = model(**batch).loss.item()
    try:
        result = kata(model, opt, batch)
    finally:
        handle.remove()
    check_result(kata, result, probe, False, f"{how}: no step")
    grads = [p.grad for p in model.parameters() if p.grad is not None and bool(p.grad.any())]
    expect(
        distance(model, untouched) == 0 and same_state(optimizer_state(opt), state),
        kata,
        got="weights or the optimizer's state changed by the skipped step",
        expected="the weights, Adam's moments and step count exactly as they were",
        tip="check before optimizer.step(): a step with a NaN gradient cannot be undone, and Adam's "
        "state changes even when the weights are put back.",
    )
    expect(
        not grads,
        kata,
        got=f"{len(grads)} parameters still holding gradients after the skipped step",
        expected="the gradients cleared (optimizer.zero_grad()) so the next batch starts clean",
    )
    # The next, healthy batch trains as if the bad one never came.
    expected_loss = replay(untouched, untouched_opt, batch)
    check_result(kata, kata(model, opt, batch), expected_loss, True, "a healthy batch after the skipped one")
    expect(
        distance(model, untouched) < 1e-5,
        kata,
        got=f"after the next batch, weights {distance(model, untouched):.2e} away",
        expected="the same weights as if the bad batch had never come",
    )


def test_a_batch_without_labels_is_refused_before_any_change(kata):
    model, opt, batch = setup("adamw")
    del batch["labels"]
    untouched = copy.deepcopy(model)
    expect_raises(kata, ValueError, model, opt, batch, because="without labels the model computes no loss")
    expect(
        distance(model, untouched) == 0 and not model.training,
        kata,
        got=f"the model changed (training={model.training})",
        expected="nothing changed for a refused call",
        tip="check the batch first, before model.train().",
    )
