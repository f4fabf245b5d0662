"""Hidden checks: clip_gradients."""

from __future__ import annotations

import math

import pytest
import torch

from pytest_tfkatas.checks.fine_tuning.helpers import texts
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Plain SGD: its update is -lr × gradient, so the clipped gradients show in the new weights.
#: (Adam would hide a uniform scaling: its first step divides the gradient by its own size.)
LR = 0.1
NO_DROPOUT = {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0}


def make_batch(tokenizer, start: int) -> dict[str, torch.Tensor]:
    ids = torch.tensor([tokenizer(line)["input_ids"][:10] for line in texts(3, start=start)])
    return {"input_ids": ids, "attention_mask": torch.ones_like(ids), "labels": ids.clone()}


def fresh_model(tiny_gpt2, frozen: str | None = None):
    model = tiny_gpt2.load_model(**NO_DROPOUT)
    if frozen:
        for name, parameter in model.named_parameters():
            if name.startswith(frozen):
                parameter.requires_grad_(False)
    return model


def trainable(model) -> list[torch.nn.Parameter]:
    return [parameter for parameter in model.parameters() if parameter.requires_grad]


def gradients(tiny_gpt2, batch, frozen: str | None = None) -> dict[str, torch.Tensor]:
    """The batch's gradient of every trainable parameter, on a copy of the model."""
    model = fresh_model(tiny_gpt2, frozen)
    model(**batch).loss.backward()
    return {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}


def global_norm(grads: dict[str, torch.Tensor]) -> float:
    return math.sqrt(sum(float(grad.double().pow(2).sum()) for grad in grads.values()))


def run(kata, tiny_gpt2, batch, max_norm, frozen: str | None = None, stale: bool = False):
    model = fresh_model(tiny_gpt2, frozen)
    before = {name: p.detach().clone() for name, p in model.named_parameters()}
    if stale:  # what an earlier step without zero_grad() would leave behind
        for parameter in trainable(model):
            parameter.grad = torch.full_like(parameter, 0.5)
    optimizer = torch.optim.SGD(trainable(model), lr=LR)
    batch_before = {key: value.clone() for key, value in batch.items()}
    norm = kata(model, batch, optimizer, max_norm)
    expect(
        batch.keys() == batch_before.keys()
        and all(torch.equal(batch[key], value) for key, value in batch_before.items()),
        kata,
        got=f"a batch with keys {sorted(batch)} after the call",
        expected=f"the batch left as it was given, keys {sorted(batch_before)} and the same tensors",
        tip="the batch belongs to the caller: read batch['labels'] (or copy the mapping) instead of "
        "popping it or changing its tensors in place.",
    )
    return model, before, norm


def check_norm(kata, norm, grads, max_norm) -> None:
    expected = global_norm(grads)
    expect(
        isinstance(norm, float),
        kata,
        got=describe(norm),
        expected=f"a Python float, {expected:.6g}",
        tip="clip_grad_norm_ returns a 0-dim tensor: return norm.item().",
    )
    tip = "the global norm is sqrt(sum of g² over every element of every gradient)."
    if math.isclose(norm, sum(float(g.norm()) for g in grads.values()), rel_tol=1e-4):
        tip = "that is the sum of each parameter's norm; the global norm is sqrt(Σ ‖g‖²) over the parameters."
    elif math.isclose(norm, max_norm, rel_tol=1e-3):
        tip = "that is the norm after clipping; return the one from before (clip_grad_norm_ returns it)."
    expect(
        math.isclose(norm, expected, rel_tol=1e-4),
        kata,
        got=f"{norm!r}",
        expected=f"{expected:.6g}, the global L2 norm of this batch's gradients before clipping",
        tip=tip,
    )


def check_update(kata, model, before, grads, max_norm) -> None:
    norm = global_norm(grads)
    scale = min(1.0, max_norm / (norm + 1e-6))
    worst, worst_name, unclipped_matches = 0.0, "", True
    for name, parameter in model.named_parameters():
        grad = grads.get(name)
        if grad is None:
            expected = before[name]
        else:
            expected = before[name] - LR * scale * grad
            unclipped_matches &= torch.allclose(parameter, before[name] - LR * grad, atol=1e-6, rtol=1e-4)
        error = float((parameter.detach() - expected).abs().max())
        if error > worst:
            worst, worst_name = error, name
    tip = (
        "scale every gradient by the same factor, max_norm / global norm "
        "(torch.nn.utils.clip_grad_norm_); clamping each value (clip_grad_value_) or clipping each "
        "parameter on its own changes the update's direction."
    )
    if scale < 1 and unclipped_matches:
        tip = (
            "the optimizer stepped with the gradients unchanged: scale them all by max_norm / norm "
            "(clip_grad_norm_) between loss.backward() and optimizer.step()."
        )
    expect(
        worst < 1e-6 + 1e-4 * LR,
        kata,
        got=f"weights that are off by up to {worst:.3g} (in {worst_name})",
        expected=f"one SGD step (lr={LR}) with every gradient scaled by {scale:.4g} "
        "= min(1, max_norm / norm)",
        tip=tip,
    )


@pytest.mark.parametrize("fraction", [0.3, 0.05], ids=["clip to 30%", "clip to 5%"])
def test_large_gradients_are_scaled_down_together_and_the_norm_before_is_returned(kata, tiny_gpt2, fraction):
    batch = make_batch(tiny_gpt2.load_tokenizer(), start=3)
    grads = gradients(tiny_gpt2, batch)
    max_norm = round(global_norm(grads) * fraction, 4)
    model, before, norm = run(kata, tiny_gpt2, batch, max_norm)
    check_norm(kata, norm, grads, max_norm)
    check_update(kata, model, before, grads, max_norm)


def test_small_gradients_are_left_as_they_are(kata, tiny_gpt2):
    batch = make_batch(tiny_gpt2.load_tokenizer(), start=12)
    grads = gradients(tiny_gpt2, batch)
    max_norm = round(global_norm(grads) * 2, 4)
    model, before, norm = run(kata, tiny_gpt2, batch, max_norm)
    check_norm(kata, norm, grads, max_norm)
    check_update(kata, model, before, grads, max_norm)


def test_an_integer_max_norm_is_accepted(kata, tiny_gpt2):
    batch = make_batch(tiny_gpt2.load_tokenizer(), start=3)
    grads = gradients(tiny_gpt2, batch)
    max_norm = 1  # an int is a valid max_norm; these gradients' norm is above it, so they are clipped
    assert global_norm(grads) > max_norm
    model, before, norm = run(kata, tiny_gpt2, batch, max_norm)
    check_norm(kata, norm, grads, max_norm)
    check_update(kata, model, before, grads, max_norm)


def test_gradients_of_an_earlier_step_do_not_leak_in(kata, tiny_gpt2):
    batch = make_batch(tiny_gpt2.load_tokenizer(), start=21)
    grads = gradients(tiny_gpt2, batch)
    max_norm = round(global_norm(grads) * 0.5, 4)
    model, before, norm = run(kata, tiny_gpt2, batch, max_norm, stale=True)
    expect(
        isinstance(norm, float) and math.isclose(norm, global_norm(grads), rel_tol=1e-4),
        kata,
        got=f"{norm!r} for a model whose .grad still held an earlier step's gradients",
        expected=f"{global_norm(grads):.6g}, the norm of this batch's gradients alone",
        tip="gradients accumulate in .grad: call optimizer.zero_grad() (or model.zero_grad()) "
        "before backward().",
    )
    check_update(kata, model, before, grads, max_norm)


def test_frozen_parameters_are_skipped(kata, tiny_gpt2):
    batch = make_batch(tiny_gpt2.load_tokenizer(), start=33)
    frozen = "transformer.h.0."
    grads = gradients(tiny_gpt2, batch, frozen=frozen)
    max_norm = round(global_norm(grads) * 0.4, 4)
    model, before, norm = run(kata, tiny_gpt2, batch, max_norm, frozen=frozen)
    check_norm(kata, norm, grads, max_norm)
    check_update(kata, model, before, grads, max_norm)


@pytest.mark.parametrize("max_norm", [0.0, -1.0, float("nan")], ids=["0", "-1", "nan"])
def test_a_max_norm_that_is_not_positive_raises_value_error(kata, tiny_gpt2, max_norm):
    model = fresh_model(tiny_gpt2)
    expect_raises(
        kata,
        ValueError,
        model,
        make_batch(tiny_gpt2.load_tokenizer(), start=3),
        torch.optim.SGD(model.parameters(), lr=LR),
        max_norm,
        because=f"max_norm={max_norm} is not positive: no gradient can be scaled to it",
    )


def test_a_batch_without_labels_raises_value_error(kata, tiny_gpt2):
    model = fresh_model(tiny_gpt2)
    batch = make_batch(tiny_gpt2.load_tokenizer(), start=3)
    del batch["labels"]
    expect_raises(
        kata,
        ValueError,
        model,
        batch,
        torch.optim.SGD(model.parameters(), lr=LR),
        1.0,
        because="without labels the model returns no loss, so there are no gradients to clip",
        match="label",
    )
