"""Hidden checks: adversarial_debias_step."""

from __future__ import annotations

import copy
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

LR = 0.5
TOLERANCE = 1e-6
#: Dropout off, so that the checks can replay the step exactly.
NO_DROPOUT = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}


def make_batch(tokenizer, start: int, labels: list[int], groups: list[int]) -> dict[str, torch.Tensor]:
    texts = zoo.corpus()[start : start + len(labels)]
    batch = dict(tokenizer(texts, padding=True, return_tensors="pt"))
    batch["labels"] = torch.tensor(labels)
    batch["groups"] = torch.tensor(groups)
    return batch


class Adversary(nn.Sequential):
    """The adversary head: hidden_size features -> one logit per group."""

    def __init__(self, hidden: int, groups: int) -> None:
        super().__init__(nn.Linear(hidden, 16), nn.Tanh(), nn.Linear(16, groups))


class Setup:
    """A dropout-free tiny BERT, an adversary head, their SGD optimisers, and copies to replay."""

    def __init__(self, tiny_bert, groups: int = 2) -> None:
        self.tokenizer = tiny_bert.load_tokenizer()
        self.model = tiny_bert.load_model(**NO_DROPOUT)
        hidden = self.model.config.hidden_size
        self.adversary = Adversary(hidden, groups)
        self.model_optimizer = torch.optim.SGD(self.model.parameters(), lr=LR)
        self.adversary_optimizer = torch.optim.SGD(self.adversary.parameters(), lr=LR)
        self.replay_model = copy.deepcopy(self.model)
        self.replay_adversary = copy.deepcopy(self.adversary)

    def run(self, kata, batch, **kwargs):
        return kata(
            self.model, self.adversary, self.model_optimizer, self.adversary_optimizer, batch, **kwargs
        )


def forward(model, adversary, batch):
    inputs = {k: v for k, v in batch.items() if k not in ("labels", "groups")}
    outputs = model(**inputs, output_hidden_states=True)
    task_loss = F.cross_entropy(outputs.logits, batch["labels"])
    representation = outputs.hidden_states[-1][:, 0]
    return task_loss, representation


def replay_step(model, adversary, batch, lambda_: float, adversary_sign: float = 1.0) -> dict[str, float]:
    """One SGD step written out with autograd.grad, no reversal layer: the encoder descends
    task_loss - lambda * adversary_loss, the adversary descends its own loss."""
    task_loss, representation = forward(model, adversary, batch)
    model_parameters = list(model.parameters())
    adversary_parameters = list(adversary.parameters())
    encoder_objective = task_loss - lambda_ * F.cross_entropy(adversary(representation), batch["groups"])
    model_gradients = torch.autograd.grad(encoder_objective, model_parameters, allow_unused=True)
    adversary_loss = F.cross_entropy(adversary(representation.detach()), batch["groups"])
    adversary_gradients = torch.autograd.grad(adversary_loss, adversary_parameters)
    with torch.no_grad():
        for parameter, gradient in zip(model_parameters, model_gradients, strict=True):
            if gradient is not None:
                parameter -= LR * gradient
        for parameter, gradient in zip(adversary_parameters, adversary_gradients, strict=True):
            parameter -= adversary_sign * LR * gradient
    return {"task_loss": task_loss.item(), "adversary_loss": adversary_loss.item()}


def distance(module, other) -> float:
    return max(
        float((a.detach() - b.detach()).abs().max())
        for a, b in zip(module.parameters(), other.parameters(), strict=True)
    )


def replayed(setup, batch, lambda_, adversary_sign=1.0):
    model, adversary = copy.deepcopy(setup.replay_model), copy.deepcopy(setup.replay_adversary)
    replay_step(model, adversary, batch, lambda_, adversary_sign)
    return model, adversary


def check_adversary(kata, setup, batch, lambda_) -> None:
    _, expected = replayed(setup, batch, lambda_)
    off = distance(setup.adversary, expected)
    if off < TOLERANCE:
        return
    _, wrong_way = replayed(setup, batch, lambda_, adversary_sign=-1.0)
    unchanged = distance(setup.adversary, setup.replay_adversary) < TOLERANCE
    expect(
        off < TOLERANCE,
        kata,
        got=(
            "an adversary that did not move"
            if unchanged
            else "an adversary that moved against its own loss (it learns to mispredict the group)"
            if distance(setup.adversary, wrong_way) < TOLERANCE
            else f"adversary weights {off:.2e} away from the expected step"
        ),
        expected="the adversary took one SGD step down its own loss: predicting the group better",
        tip=(
            "step both optimisers, and let the adversary descend its own loss, unreversed, whatever "
            "lambda_ is: only the encoder's gradient is reversed and scaled."
            if unchanged
            else "loss = task_loss - adversary_loss also reverses the adversary's own gradient. Put a "
            "gradient reversal layer between the representation and the adversary and add the losses."
        ),
    )


def check_model(kata, setup, batch, lambda_) -> None:
    expected, _ = replayed(setup, batch, lambda_)
    off = distance(setup.model, expected)
    if off < TOLERANCE:
        return
    plain, _ = replayed(setup, batch, 0.0)
    if lambda_ > 0 and distance(setup.model, plain) < TOLERANCE:
        got, tip = (
            "an encoder update that ignores the adversary (a plain task step)",
            "the adversary's gradient must flow back into the encoder, reversed: do not detach the "
            "representation; pass it through the gradient reversal layer.",
        )
    else:
        full, _ = replayed(setup, batch, 1.0)
        got = f"model weights {off:.2e} away from the expected step"
        tip = "the reversal layer's backward returns -lambda_ * grad_output (and None for lambda_)."
        if lambda_ != 1.0 and distance(setup.model, full) < TOLERANCE:
            got = "the update of lambda_=1, whatever lambda_ is"
        elif lambda_ == 0:
            tip = "with lambda_=0 the adversary's gradient must not reach the encoder at all."
    fail_call(
        kata,
        got=got,
        expected=(
            f"one SGD step of the model on task_loss - {lambda_} * adversary_loss (adversary loss on the "
            "last hidden state of the first token)"
        ),
        tip=tip,
    )


def test_with_lambda_zero_the_model_takes_a_plain_task_step(kata, tiny_bert):
    setup = Setup(tiny_bert)
    batch = make_batch(setup.tokenizer, 0, [0, 1, 0, 1, 1, 0], [0, 0, 1, 1, 0, 1])
    before = {key: value.clone() for key, value in batch.items()}
    setup.run(kata, batch, lambda_=0.0)
    expect(
        batch.keys() == before.keys() and all(torch.equal(batch[key], before[key]) for key in before),
        kata,
        got=f"the caller's batch changed: its keys are now {sorted(batch)}",
        expected=f"the batch left as it was, with {sorted(before)}",
        tip="build the model's inputs as a new dict, {k: v for k, v in batch.items() if k not in "
        "('labels', 'groups')}: pop() takes labels and groups out of the caller's batch.",
    )
    check_model(kata, setup, batch, 0.0)
    check_adversary(kata, setup, batch, 0.0)


@pytest.mark.parametrize("lambda_", [1.0, 0.3, None], ids=["1.0", "0.3", "the default 1.0"])
def test_the_encoder_gets_the_reversed_adversary_gradient(kata, tiny_bert, lambda_):
    setup = Setup(tiny_bert, groups=3)
    batch = make_batch(setup.tokenizer, 20, [1, 1, 0, 0, 1, 0, 1], [0, 1, 2, 0, 1, 2, 2])
    setup.run(kata, batch, **({} if lambda_ is None else {"lambda_": lambda_}))
    lambda_ = 1.0 if lambda_ is None else lambda_
    check_model(kata, setup, batch, lambda_)
    check_adversary(kata, setup, batch, lambda_)


def test_the_losses_before_the_update_are_returned(kata, tiny_bert):
    setup = Setup(tiny_bert)
    batch = make_batch(setup.tokenizer, 10, [1, 0, 0, 1], [1, 1, 0, 0])
    result = setup.run(kata, batch, lambda_=0.5)
    expected = replay_step(setup.replay_model, setup.replay_adversary, batch, 0.5)
    expect(
        isinstance(result, dict)
        and all(
            isinstance(result.get(key), float) and math.isclose(result[key], value, abs_tol=1e-6)
            for key, value in expected.items()
        ),
        kata,
        got=describe(result),
        expected=f"{ {k: round(v, 6) for k, v in expected.items()} }: "
        "both losses as floats, from before the update",
        tip="return {'task_loss': task_loss.item(), 'adversary_loss': adversary_loss.item()}.",
    )


def test_two_steps_in_a_row_start_from_clean_gradients(kata, tiny_bert):
    setup = Setup(tiny_bert)
    first = make_batch(setup.tokenizer, 30, [0, 1, 1, 0], [0, 1, 0, 1])
    second = make_batch(setup.tokenizer, 40, [1, 1, 0, 0], [1, 0, 0, 1])
    setup.run(kata, first, lambda_=1.0)
    setup.run(kata, second, lambda_=1.0)
    replay_step(setup.replay_model, setup.replay_adversary, first, 1.0)
    replay_step(setup.replay_model, setup.replay_adversary, second, 1.0)
    off = max(distance(setup.model, setup.replay_model), distance(setup.adversary, setup.replay_adversary))
    expect(
        off < TOLERANCE,
        kata,
        got=f"after two steps, weights {off:.2e} away from two replayed steps",
        expected="two independent steps: the second one's gradients do not include the first one's",
        tip="call zero_grad() on both optimisers at the start of every step: backward() adds to .grad.",
    )


@pytest.mark.parametrize(
    ("drop", "lambda_", "because"),
    [
        (None, -1.0, "a negative lambda_ would help the adversary instead of hiding the group"),
        ("groups", 1.0, "the batch has no 'groups' for the adversary to predict"),
        ("labels", 1.0, "the batch has no 'labels' for the task loss"),
        ("input_ids", 0.0, "the batch has no 'input_ids' for the model to read"),
    ],
    ids=["a negative lambda", "no groups", "no labels", "no input_ids"],
)
def test_bad_arguments_raise_value_error(kata, tiny_bert, drop, lambda_, because):
    setup = Setup(tiny_bert)
    batch = make_batch(setup.tokenizer, 0, [0, 1], [0, 1])
    if drop:
        del batch[drop]
    expect_raises(
        kata,
        ValueError,
        setup.model,
        setup.adversary,
        setup.model_optimizer,
        setup.adversary_optimizer,
        batch,
        lambda_=lambda_,
        because=because,
    )
    expect(
        distance(setup.model, setup.replay_model) == 0
        and distance(setup.adversary, setup.replay_adversary) == 0,
        kata,
        got="weights that changed",
        expected="no update at all for a rejected call",
        tip="validate the arguments before the forward pass.",
    )
