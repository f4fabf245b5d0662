"""Hidden checks: overfit_one_batch."""

from __future__ import annotations

import copy
import math
from types import MappingProxyType

import numpy as np
import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import one_training_step
from pytest_tfkatas.harness import describe, expect, expect_raises

NO_DROPOUT = {
    "gpt2": {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0},
    "llama": {},
    "bert": {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0},
}
OPTIMIZERS = {
    "AdamW": lambda params, lr: torch.optim.AdamW(params, lr=lr),
    "SGD": lambda params, lr: torch.optim.SGD(params, lr=lr, momentum=0.9),
}


def setup(name: str, optimizer: str = "AdamW", lr: float = 1e-2):
    tiny = zoo.get(name)
    model, tokenizer = tiny.load_model(**NO_DROPOUT[name]), tiny.load_tokenizer()
    if name == "bert":
        batch = dict(
            tokenizer(["A wonderful book", "rain fell", "the sea"], padding=True, return_tensors="pt")
        )
        batch["labels"] = torch.tensor([1, 0, 1])
    else:
        batch = dict(tokenizer(["The robot read a book"], return_tensors="pt"))
        batch["labels"] = batch["input_ids"].clone()
    return model, OPTIMIZERS[optimizer](model.parameters(), lr), batch


def replay(model, optimizer, batch, steps: int) -> tuple[list[float], list[dict]]:
    """An independent run of plain training steps: the loss of each, and the weights before each
    (and after the last)."""
    model.train()
    losses, states = [], []
    for _ in range(steps):
        states.append(copy.deepcopy(model.state_dict()))
        losses.append(one_training_step(model, optimizer, batch))
    states.append(copy.deepcopy(model.state_dict()))
    return losses, states


def apart(model, state: dict) -> float:
    """The largest difference between the model's weights and a state_dict."""
    return max(float((value - state[key]).abs().max()) for key, value in model.state_dict().items())


def result_parts(kata, result) -> tuple[str, list]:
    __tracebackhide__ = True
    expect(
        hasattr(result, "reason") and hasattr(result, "losses"),
        kata,
        got=describe(result),
        expected="an OverfitResult(reason, losses)",
    )
    return result.reason, result.losses


def same_losses(got, expected: list[float]) -> bool:
    return (
        isinstance(got, list)
        and len(got) == len(expected)
        and all(type(g) is float for g in got)
        and all(
            math.isclose(g, e, rel_tol=1e-5) if math.isfinite(e) else repr(g) == repr(e)
            for g, e in zip(got, expected, strict=True)
        )
    )


def check_result(kata, result, reason: str, losses: list[float], why: str, tip: str | None = None) -> None:
    __tracebackhide__ = True
    got_reason, got_losses = result_parts(kata, result)
    shown = (
        [round(x, 4) if isinstance(x, float) else x for x in got_losses]
        if isinstance(got_losses, list)
        else got_losses
    )
    expect(
        got_reason == reason and same_losses(got_losses, losses),
        kata,
        got=f"reason {got_reason!r}, {len(got_losses)} losses {describe(shown)}",
        expected=f"reason {reason!r}, {len(losses)} losses {describe([round(x, 4) for x in losses])} "
        f"(Python floats): {why}",
        tip=tip,
    )


def check_weights(kata, model, state: dict, what: str, tip: str | None = None) -> None:
    __tracebackhide__ = True
    expect(
        apart(model, state) < 1e-5,
        kata,
        got=f"weights {apart(model, state):.2e} away from that",
        expected=what,
        tip=tip,
    )


CONVERGING = {
    "gpt2 with AdamW, an int threshold": ("gpt2", "AdamW", 1e-2, 1, 40),
    "llama with AdamW": ("llama", "AdamW", 1e-2, 0.1, 20),
    "bert with SGD and momentum": ("bert", "SGD", 0.05, 0.1, 40),
}


@pytest.mark.parametrize("case", list(CONVERGING))
def test_a_tiny_model_overfits_one_batch_within_the_bound(kata, case):
    name, optimizer, lr, threshold, max_steps = CONVERGING[case]
    model, opt, batch = setup(name, optimizer, lr)
    for parameter in model.parameters():  # what an earlier step may have left in .grad
        parameter.grad = torch.full_like(parameter, 0.25)
    losses, states = replay(*copy.deepcopy((model, opt)), batch, max_steps)
    k = next(i for i, loss in enumerate(losses) if loss < threshold)
    before = {key: value.clone() for key, value in batch.items()}
    result = kata(model, opt, MappingProxyType(batch), threshold=threshold, max_steps=max_steps)
    check_result(
        kata,
        result,
        "converged",
        losses[: k + 1],
        f"the loss of step {k + 1} is the first below {threshold}",
        tip="clear the gradients before each forward pass: .grad may hold what an earlier step left.",
    )
    check_weights(
        kata,
        model,
        states[k],
        f"the model after {k} updates: the one whose loss was below the threshold, with no update after it",
        tip="the losses were right: stop as soon as a loss is below the threshold, before backward() and "
        "step() for it.",
    )
    in_eval = [name for name, module in model.named_modules() if not module.training]
    expect(
        not in_eval
        and batch.keys() == before.keys()
        and all(torch.equal(batch[k], before[k]) for k in before),
        kata,
        got=f"model.training={model.training}, {len(in_eval)} submodules in evaluation mode "
        f"(e.g. {in_eval[:2]}), batch keys {sorted(batch)}",
        expected="the model left in training mode (every submodule), the batch unchanged",
        tip="model.train() sets every submodule's mode; setting model.training = True sets only the top's."
        if in_eval and model.training
        else None,
    )


def test_the_loss_must_fall_below_the_threshold_not_only_reach_it(kata):
    model, opt, batch = setup("gpt2")
    losses, states = replay(*copy.deepcopy((model, opt)), batch, 8)
    assert losses[6] < losses[5]  # the premise: the loss keeps falling
    just_above = float(np.nextafter(np.float32(losses[5]), np.float32(math.inf)))
    for threshold, steps, how in [(losses[5], 7, "equal to"), (just_above, 6, "just below")]:
        model, opt, batch = setup("gpt2")
        result = kata(model, opt, batch, threshold=threshold, max_steps=8)
        check_result(
            kata,
            result,
            "converged",
            losses[:steps],
            f"the loss of step 6 is {how} the threshold {threshold!r}; below means strictly below",
            tip="compare with <: a loss equal to the threshold has not fallen below it.",
        )
        check_weights(kata, model, states[steps - 1], f"the model after {steps - 1} updates")


@pytest.mark.parametrize("max_steps", [1, 3, None], ids=["1", "3", "default"])
def test_running_out_of_steps_reports_max_steps(kata, max_steps):
    model, opt, batch = setup("gpt2", "SGD", lr=1e-3)
    bound = {} if max_steps is None else {"max_steps": max_steps}
    max_steps = max_steps or 100  # the default bound
    losses, states = replay(*copy.deepcopy((model, opt)), batch, max_steps)
    result = kata(model, opt, batch, threshold=0.01, **bound)
    check_result(kata, result, "max_steps", losses, f"{max_steps} steps, none below 0.01")
    check_weights(kata, model, states[max_steps], f"the model after {max_steps} updates, one per step")


def unchanged(kata, model, state: dict, training: bool) -> None:
    __tracebackhide__ = True
    expect(
        apart(model, state) == 0 and model.training is training,
        kata,
        got=f"weights {apart(model, state):.2e} away, model.training={model.training}",
        expected=f"the weights unchanged, model.training={training}",
    )


NOT_LEARNING = [
    "every parameter frozen",
    "an optimizer over frozen parameters only",
    "SGD with a learning rate of 0",
    "AdamW with a learning rate of 0",
    "an optimizer built for another copy of the model",
]


@pytest.mark.parametrize("case", NOT_LEARNING)
def test_a_setup_that_cannot_learn_is_reported(kata, case):
    model, opt, batch = setup("gpt2", "SGD" if case.startswith("SGD") else "AdamW")
    with torch.no_grad():
        first_loss = model(**batch).loss.item()
    if case == "every parameter frozen":
        model.requires_grad_(False)
    elif case == "an optimizer over frozen parameters only":
        model.transformer.wpe.requires_grad_(False)
        opt = torch.optim.AdamW(model.transformer.wpe.parameters(), lr=1e-2)
    elif "learning rate of 0" in case:
        for group in opt.param_groups:
            group["lr"] = 0.0
    else:
        opt = torch.optim.AdamW(copy.deepcopy(model).parameters(), lr=1e-2)
    state = copy.deepcopy(model.state_dict())
    result = kata(model, opt, batch, threshold=0.05, max_steps=30)
    if "frozen" in case:
        check_result(
            kata,
            result,
            "frozen",
            [],
            f"{case}: no parameter of the optimizer requires grad, so nothing is run",
            tip="look at the optimizer's parameters (optimizer.param_groups), not only at the model's.",
        )
        unchanged(kata, model, state, training=False)
    else:
        check_result(
            kata,
            result,
            "no_update",
            [first_loss],
            f"{case}: the first update changes no weight, so the test stops after one step",
            tip="compare the optimizer's trainable parameters before and after the first step "
            "(copies taken before it, torch.equal after).",
        )
        unchanged(kata, model, state, training=True)


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf], ids=["nan", "inf", "-inf"])
def test_a_non_finite_loss_stops_the_test_at_once(kata, bad):
    model, opt, batch = setup("gpt2")
    losses, states = replay(*copy.deepcopy((model, opt)), batch, 2)
    calls = []

    def poison(module, args, output):  # the third forward pass gives a non-finite loss
        calls.append(1)
        if len(calls) == 3:
            output["loss"] = output["loss"] * bad
        return output

    model.register_forward_hook(poison)
    result = kata(model, opt, batch, threshold=0.05, max_steps=30)
    check_result(
        kata,
        result,
        "not_finite",
        [*losses, bad],
        f"the loss of step 3 is {bad}: stop there, without an update",
        tip="test math.isfinite(loss) before comparing with the threshold: a NaN is never below it, "
        "-inf always is, and both are 'not_finite'.",
    )
    check_weights(kata, model, states[2], "the model after the 2 finite steps, no update from the bad loss")


def two_groups(model, first: str, lr: float) -> torch.optim.Optimizer:
    """AdamW with two parameter groups: the parameters of ``first`` at ``lr``, then all the others."""
    chosen = dict(model.get_submodule(first).named_parameters()).values()
    others = [p for p in model.parameters() if all(p is not c for c in chosen)]
    return torch.optim.AdamW([{"params": list(chosen), "lr": lr}, {"params": others}], lr=1e-2)


TRAINABLE = {
    "the first parameter group frozen": (
        "look at the parameters of every group in optimizer.param_groups, not only the first group's."
    ),
    "the first parameter group at a learning rate of 0": (
        "'no_update' means every trainable parameter is unchanged: compare them all, with all(), "
        "not one of them or any()."
    ),
    "SGD with a tiny learning rate (1e-9)": (
        "a tiny change is still an update: compare every trainable parameter with torch.equal, not "
        "torch.allclose."
    ),
}


@pytest.mark.parametrize("case", list(TRAINABLE))
def test_an_update_of_some_trainable_parameters_is_an_update(kata, case):
    model, opt, batch = setup("gpt2", "SGD" if case.startswith("SGD") else "AdamW")
    if case == "the first parameter group frozen":
        model.transformer.wpe.requires_grad_(False)
        opt = two_groups(model, "transformer.wpe", 1e-2)
    elif case == "the first parameter group at a learning rate of 0":
        opt = two_groups(model, "transformer.wte", 0.0)  # the embeddings, tied to the output head
    else:
        opt = torch.optim.SGD(model.parameters(), lr=1e-9)
    losses, states = replay(*copy.deepcopy((model, opt)), batch, 3)
    assert apart(model, states[1]) > 0  # the premise: the first update changes some weight
    result = kata(model, opt, batch, threshold=0.01, max_steps=3)
    check_result(
        kata,
        result,
        "max_steps",
        losses,
        f"{case}: the first update changes some trainable weights, so the test goes on for 3 steps",
        tip=TRAINABLE[case],
    )
    check_weights(kata, model, states[3], "the model after 3 updates, one per step")


BAD_ARGUMENTS = {
    "max_steps=0": {"max_steps": 0},
    "max_steps=-3": {"max_steps": -3},
    "max_steps=2.5": {"max_steps": 2.5},
    "max_steps=3.0": {"max_steps": 3.0},
    "max_steps=0, every parameter frozen": {"max_steps": 0},
    "threshold=0": {"threshold": 0.0},
    "threshold=-0.5": {"threshold": -0.5},
    "threshold=nan": {"threshold": math.nan},
    "threshold=inf": {"threshold": math.inf},
    "a batch without labels": {},
}


@pytest.mark.parametrize("case", list(BAD_ARGUMENTS))
def test_bad_arguments_raise_value_error_before_anything_changes(kata, case):
    model, opt, batch = setup("gpt2")
    if case == "a batch without labels":
        del batch["labels"]
    if "frozen" in case:  # the arguments are checked before anything else
        model.requires_grad_(False)
    arguments = {"threshold": 0.5, "max_steps": 5} | BAD_ARGUMENTS[case]
    state = copy.deepcopy(model.state_dict())
    expect_raises(
        kata,
        ValueError,
        model,
        opt,
        batch,
        because=f"{case}: max_steps must be an int >= 1, threshold a finite number > 0, and the batch "
        "needs labels",
        **arguments,
    )
    unchanged(kata, model, state, training=False)
