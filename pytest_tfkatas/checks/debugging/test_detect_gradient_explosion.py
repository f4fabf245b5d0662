"""Hidden checks: detect_gradient_explosion."""

from __future__ import annotations

import math

import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = ["Once upon a time there was a robot", "The teacher wrote on the board"]


def backward(
    model: torch.nn.Module, tokenizer, scale: float = 1.0, labels: torch.Tensor | None = None
) -> None:
    """One forward and backward pass on a small batch, the loss multiplied by ``scale``."""
    batch = tokenizer(TEXTS, padding=True, return_tensors="pt")
    if labels is None:  # a causal LM: predict the text itself, ignoring the padding
        labels = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    (model(**batch, labels=labels).loss * scale).backward()


@pytest.fixture
def gpt2(tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    tokenizer.pad_token = tokenizer.eos_token
    return tiny_gpt2.load_model(), tokenizer


def same_tensor(a: torch.Tensor, b: torch.Tensor) -> bool:
    """Equal values, NaN in the same places counting as equal."""
    return a.shape == b.shape and bool(torch.all((a == b) | (a.isnan() & b.isnan())))


def gradients(model: torch.nn.Module) -> list[torch.Tensor]:
    return [p.grad for p in model.parameters() if p.grad is not None]


def global_norm(model: torch.nn.Module) -> float:
    """sqrt of the sum of every squared gradient entry, in float64."""
    return math.sqrt(sum(float(g.double().pow(2).sum()) for g in gradients(model)))


def unpack(kata, result) -> tuple[float, bool]:
    ok = (
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[0], (float, int))
        and isinstance(result[1], bool)
    )
    expect(
        ok,
        kata,
        got=describe(result),
        expected="a (norm, exploded) tuple: a Python float and a bool",
        tip="convert the norm tensor with float(...) and the comparison with bool(...).",
    )
    return result


def test_the_norm_is_the_global_l2_norm_of_the_gradients(kata, gpt2):
    model, tokenizer = gpt2
    backward(model, tokenizer)
    norm, _ = unpack(kata, kata(model, threshold=1e6))
    expected = global_norm(model)
    norms = [float(g.norm()) for g in gradients(model)]
    weights = math.sqrt(sum(float(p.detach().pow(2).sum()) for p in model.parameters()))
    tip = None
    if math.isclose(norm, sum(norms), rel_tol=1e-4):
        tip = "that is the sum of the per-parameter norms (the seed's version), which overstates the norm."
    elif math.isclose(norm, max(norms), rel_tol=1e-4):
        tip = "that is the largest per-parameter norm; combine them: sqrt(sum of squared norms)."
    elif math.isclose(norm, weights, rel_tol=1e-4):
        tip = "that is the norm of the weights; measure param.grad, not param."
    expect(
        math.isclose(norm, expected, rel_tol=1e-4),
        kata,
        got=f"norm {norm:.6g}",
        expected=f"{expected:.6g}, the L2 norm of all {len(norms)} gradients taken together",
        tip=tip or "compute sqrt(sum over parameters of grad.pow(2).sum()).",
    )


def test_the_threshold_decides_what_is_an_explosion(kata, gpt2):
    model, tokenizer = gpt2
    backward(model, tokenizer)
    expected = global_norm(model)
    for threshold, exploded in [(expected * 0.8, True), (expected * 1.25, False), (expected * 0.1, True)]:
        _, got = unpack(kata, kata(model, threshold=threshold))
        expect(
            got is exploded,
            kata,
            got=f"exploded={got}",
            expected=f"exploded={exploded}: the norm is {expected:.4g}, the threshold {threshold:.4g}",
            tip="compare the global norm with the threshold you are given: norm > threshold.",
        )


def test_a_norm_exactly_at_the_threshold_is_healthy(kata, gpt2):
    """Gradients whose global norm is exactly 5 (3 and 4, every other entry 0), whatever the order
    of the sums: "above the threshold" is norm > threshold, so 5 at a threshold of 5 is healthy."""
    model, tokenizer = gpt2
    backward(model, tokenizer)
    grads = [p.grad for p in model.parameters() if p.grad is not None]
    for grad in grads:
        grad.zero_()
    grads[0].view(-1)[0] = 3.0
    grads[-1].view(-1)[-1] = 4.0
    for threshold, exploded in [(5.0, False), (4.999, True), (5, False), (4, True)]:  # a float may be an int
        norm, got = unpack(kata, kata(model, threshold=threshold))
        expect(
            got is exploded and math.isclose(norm, 5.0, rel_tol=1e-6),
            kata,
            got=f"({norm!r}, {got})",
            expected=f"(5.0, {exploded}): a norm of 5 and a threshold of {threshold}",
            tip="an explosion is a norm strictly above the threshold: norm > threshold, not >=."
            if threshold == 5
            else None,
        )


@pytest.mark.parametrize(
    ("entries", "exploded"),
    [((6.0, 8.0), False), ((6.0, 8.5), True), ((6.0, 7.0), False), ((600.0, 800.0), True)],
    ids=["norm 10", "norm 10.4", "norm 9.2", "norm 1000"],
)
def test_the_default_threshold_is_ten(kata, gpt2, entries, exploded):
    """Gradients set by hand (two non-zero entries, every other 0), so the norm sits exactly where
    the default threshold matters: 10 itself is healthy, 10.4 is an explosion."""
    model, tokenizer = gpt2
    backward(model, tokenizer)
    grads = gradients(model)
    for grad in grads:
        grad.zero_()
    grads[0].view(-1)[0], grads[-1].view(-1)[-1] = entries
    expected = math.hypot(*entries)
    norm, got = unpack(kata, kata(model))
    expect(
        got is exploded and math.isclose(norm, expected, rel_tol=1e-5),
        kata,
        got=f"({norm:.4g}, {got})",
        expected=f"({expected:.4g}, {exploded}), with the default threshold of 10 (norm > 10 explodes)",
    )


@pytest.mark.parametrize("bad_value", [math.nan, math.inf], ids=["nan", "inf"])
def test_non_finite_gradients_are_an_explosion(kata, gpt2, bad_value):
    model, tokenizer = gpt2
    backward(model, tokenizer)
    with torch.no_grad():
        model.transformer.h[1].mlp.c_fc.weight.grad[3, 7] = bad_value
    before = [g.clone() for g in gradients(model)]
    norm, exploded = unpack(kata, kata(model, threshold=1e6))
    expect(
        exploded is True and not math.isfinite(norm),
        kata,
        got=f"({norm}, {exploded})",
        expected=f"(a non-finite norm, True): one gradient entry is {bad_value}",
        tip="nan > threshold is False: test `not math.isfinite(norm) or norm > threshold`.",
    )
    changed = sum(not same_tensor(a, b) for a, b in zip(before, gradients(model), strict=False))
    expect(
        changed == 0,
        kata,
        got=f"{changed} gradient tensors changed by the call",
        expected="the gradients left as they were, the bad entry included: detection only looks",
        tip="change no gradient in place: clip_grad_norm_, for one, multiplies them by max_norm / norm, "
        "which is NaN here even with max_norm=inf.",
    )


def test_parameters_without_gradients_are_left_out(kata, tiny_bert):
    model = tiny_bert.load_model()
    tokenizer = tiny_bert.load_tokenizer()
    for param in model.bert.embeddings.parameters():
        param.requires_grad_(False)  # frozen: no gradient at all
    backward(model, tokenizer, labels=torch.tensor([1, 0]))
    model.bert.pooler.dense.bias.grad = None  # trainable, but no gradient in this step
    model.classifier.weight.requires_grad_(False)  # frozen after backward(): its gradient still counts
    expected = global_norm(model)
    norm, _ = unpack(kata, kata(model, threshold=1e6))
    expect(
        math.isclose(norm, expected, rel_tol=1e-4),
        kata,
        got=f"norm {norm:.6g}",
        expected=f"{expected:.6g}, over the {len(gradients(model))} parameters that have a gradient",
        tip="skip every parameter whose .grad is None, whatever its requires_grad says.",
    )


def test_the_gradients_are_left_unchanged(kata, gpt2):
    model, tokenizer = gpt2
    backward(model, tokenizer, scale=100.0)
    before = [g.clone() for g in gradients(model)]
    threshold = global_norm(model) / 10
    unpack(kata, kata(model, threshold=threshold))
    changed = sum(not torch.equal(a, b) for a, b in zip(before, gradients(model), strict=False))
    expect(
        changed == 0 and len(before) == len(gradients(model)),
        kata,
        got=f"{changed} gradient tensors changed by the call",
        expected="the gradients left as they were: detection only looks",
        tip="clip_grad_norm_ returns the norm but also rescales the gradients in place; compute the norm "
        "yourself (or with torch.nn.utils.get_total_norm).",
    )


def test_bad_arguments_raise_value_error(kata, gpt2):
    model, tokenizer = gpt2
    expect_raises(kata, ValueError, model, because="no parameter has a gradient: backward() was never called")
    backward(model, tokenizer)
    for threshold in (0.0, -5.0, math.nan):
        expect_raises(
            kata,
            ValueError,
            model,
            threshold=threshold,
            because="the threshold must be positive (NaN is not: every comparison with it is False)",
        )
