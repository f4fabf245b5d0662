"""Hidden checks: integrated_gradients."""

from __future__ import annotations

import copy
import math

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

SHORT = "The robot smiled."


def written_out(model, tokenizer, text: str, target: int, steps: int):
    """Integrated gradients one point at a time: the ids, each token's attribution, and F(x) - F(0)."""
    model = copy.deepcopy(model).eval()
    ids = tokenizer(text, return_tensors="pt")["input_ids"]
    x = model.get_input_embeddings()(ids).detach()
    total = torch.zeros_like(x)
    for k in range(1, steps + 1):
        point = ((k - 0.5) / steps * x).requires_grad_()
        model(inputs_embeds=point).logits[0, target].backward()
        total += point.grad
    attributions = (x * total / steps).sum(dim=-1)[0]
    with torch.no_grad():
        change = (
            model(inputs_embeds=x).logits[0, target]
            - model(inputs_embeds=torch.zeros_like(x)).logits[0, target]
        )
    return ids[0].tolist(), attributions, float(change)


def modes(model) -> list[bool]:
    return [module.training for module in model.modules()]


def expect_result(kata, result, tokens: list[str]):
    """Fail unless ``result`` is (list of str, float32 1-D tensor without grad, float); return it."""
    __tracebackhide__ = True
    expect(
        isinstance(result, tuple) and len(result) == 3,
        kata,
        got=describe(result),
        expected="a tuple (tokens, attributions, gap)",
    )
    got_tokens, attributions, gap = result
    expect(
        got_tokens == tokens,
        kata,
        got=f"tokens {got_tokens!r}",
        expected=f"{tokens!r}: tokenizer.convert_ids_to_tokens of the ids, special tokens included",
    )
    expect(
        isinstance(attributions, torch.Tensor)
        and attributions.dtype == torch.float32
        and attributions.shape == (len(tokens),)
        and not attributions.requires_grad,
        kata,
        got=f"attributions {describe(attributions)}"
        + (" that require grad" if getattr(attributions, "requires_grad", False) else ""),
        expected=f"a float32 tensor of shape [{len(tokens)}] (one number per token), not requiring grad",
    )
    expect(type(gap) is float, kata, got=f"gap {describe(gap)}", expected="the gap as a Python float")
    return attributions, gap


@pytest.mark.parametrize(
    ("name", "line", "target"),
    [("bert", None, 0), ("bert-cased", None, 1), ("bert-cased", 2, 0)],
    ids=["bert", "bert-cased", "bert-cased-long"],
)
def test_attributions_match_integrated_gradients_written_out(kata, name, line, target):
    text = SHORT if line is None else zoo.corpus()[line]
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    if line is not None:  # a pad embedding that is not zero (the tiny models' are): the baseline is zeros
        with torch.no_grad():
            model.get_input_embeddings().weight[tokenizer.pad_token_id] = torch.randn(
                model.config.hidden_size
            )
    ids, expected, change = written_out(model, tokenizer, text, target, steps=4)
    tokens = tokenizer.convert_ids_to_tokens(ids)
    attributions, gap = expect_result(kata, kata(model, tokenizer, text, target, steps=4), tokens)
    off = float((attributions - expected).abs().max())
    expect(
        off < 1e-4,
        kata,
        got=f"attributions {[round(a, 4) for a in attributions.tolist()]}",
        expected=f"{[round(a, 4) for a in expected.tolist()]}: with steps=4, the gradient of the logit of "
        f"label {target} at the midpoints alpha = 1/8, 3/8, 5/8, 7/8 from the zero baseline, averaged, "
        "times the embeddings, summed per token",
    )
    want = abs(float(expected.sum()) - change)
    expect(
        math.isclose(gap, want, rel_tol=1e-3, abs_tol=1e-5),
        kata,
        got=f"gap {gap!r}",
        expected=f"{want:.6f} = |sum of the attributions - (F(x) - F(baseline))|, where F(x) - F(baseline) "
        f"= {change:.6f}",
    )


@pytest.mark.parametrize("name", ["bert", "bert-cased"])
def test_with_enough_steps_the_attributions_add_up_to_the_change_of_the_logit(kata, name):
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    ids, _, change = written_out(model, tokenizer, SHORT, 1, steps=1)
    tokens = tokenizer.convert_ids_to_tokens(ids)
    attributions, gap = expect_result(kata, kata(model, tokenizer, SHORT, 1, steps=32), tokens)
    total = float(attributions.sum())
    expect(
        abs(total - change) < 1e-3 and math.isclose(gap, abs(total - change), rel_tol=1e-3, abs_tol=1e-6),
        kata,
        got=f"attributions summing to {total:.5f}, gap {gap!r}",
        expected=f"a sum within 1e-3 of F(x) - F(baseline) = {change:.5f} with 32 midpoints, and the gap "
        f"{abs(total - change):.2e} = |sum - (F(x) - F(baseline))|",
    )


def test_steps_default_to_fifty(kata, tiny_bert_cased):
    model, tokenizer = tiny_bert_cased.load_model(), tiny_bert_cased.load_tokenizer()
    with torch.no_grad():  # a longer path, on which the number of steps shows in the attributions
        model.get_input_embeddings().weight.mul_(10.0)
    ids, expected, change = written_out(model, tokenizer, SHORT, 1, steps=50)
    attributions, gap = expect_result(
        kata, kata(model, tokenizer, SHORT, 1), tokenizer.convert_ids_to_tokens(ids)
    )
    want = abs(float(expected.sum()) - change)
    expect(
        float((attributions - expected).abs().max()) < 1e-5 and math.isclose(gap, want, rel_tol=1e-2),
        kata,
        got=f"attributions {[round(a, 6) for a in attributions.tolist()]}, gap {gap:.3e}",
        expected=f"{[round(a, 6) for a in expected.tolist()]}, gap {want:.3e}: 50 midpoints when steps is "
        "not given",
    )


@pytest.mark.parametrize(
    ("training", "steps"), [(True, 3), (False, 1)], ids=["train-mode", "eval-mode-one-step"]
)
def test_the_model_runs_without_dropout_and_is_left_as_it_was(kata, tiny_bert, training, steps):
    model, tokenizer = tiny_bert.load_model().train(training), tiny_bert.load_tokenizer()
    if training:  # some weights frozen, as in a fine-tuning: they must stay frozen, the others trainable
        model.bert.embeddings.requires_grad_(False)
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, 0.25)  # what an earlier backward left
    ids, expected, _ = written_out(model, tokenizer, SHORT, 1, steps=steps)
    weights = copy.deepcopy(model.state_dict())
    trainable = {name: p.requires_grad for name, p in model.named_parameters()}
    seen: list[bool] = []
    # on the encoder, which every forward pass runs, model(...) or model.forward(...) alike
    model.base_model.encoder.register_forward_pre_hook(lambda module, args: seen.append(any(modes(model))))
    attributions, _ = expect_result(
        kata, kata(model, tokenizer, SHORT, 1, steps=steps), tokenizer.convert_ids_to_tokens(ids)
    )
    expect(
        seen and not any(seen) and float((attributions - expected).abs().max()) < 1e-4,
        kata,
        got="the model (or some of its layers) ran in training mode" if any(seen) else "other attributions",
        expected="every forward pass in evaluation mode (dropout off), and the attributions written out",
    )
    expect(
        modes(model) == [training] * len(modes(model)),
        kata,
        got=f"model.training={model.training} after the call",
        expected=f"the model left in the mode it was in (training={training}), every layer of it",
    )
    changed = [key for key, value in model.state_dict().items() if not torch.equal(value, weights[key])]
    with_grad = [
        name
        for name, p in model.named_parameters()
        if p.grad is None or p.grad.shape != p.shape or not bool((p.grad == 0.25).all())
    ]
    flipped = [name for name, p in model.named_parameters() if p.requires_grad != trainable[name]]
    expect(
        not changed and not with_grad and not flipped,
        kata,
        got=f"weights changed: {changed[:3]}"
        if changed
        else f".grad changed (it held 0.25 everywhere) in {with_grad[:3]}"
        if with_grad
        else f"requires_grad switched in {flipped[:3]}",
        expected="the weights, their .grad and their requires_grad as they were",
        tip="torch.autograd.grad(output, inputs) returns the gradients with respect to the inputs only, "
        "and leaves every parameter's .grad (and requires_grad) as it is; backward() would fill .grad, "
        "and zero_grad() would wipe it."
        if with_grad or flipped
        else None,
    )


@pytest.mark.parametrize(
    ("target", "steps", "because"),
    [
        (-1, 8, "-1 is no label of the model"),
        (2, 8, "the model has labels 0 and 1 only"),
        (0, 0, "the path needs at least one point"),
        (1, -3, "the path needs at least one point"),
    ],
    ids=["target-negative", "target-num-labels", "steps-zero", "steps-negative"],
)
def test_bad_targets_and_steps_are_refused_before_the_model_runs(
    kata, tiny_bert_cased, target, steps, because
):
    model, tokenizer = tiny_bert_cased.load_model(), tiny_bert_cased.load_tokenizer()
    calls: list[int] = []
    model.base_model.encoder.register_forward_pre_hook(lambda module, args: calls.append(1))
    expect_raises(kata, ValueError, model, tokenizer, SHORT, target, steps=steps, because=because)
    expect(not calls, kata, got=f"{len(calls)} forward calls", expected="the error before the model runs")
