"""Hidden checks: training_step."""

from __future__ import annotations

import copy
import math

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import one_training_step as replay
from pytest_tfkatas.checks.helpers import weights_apart as distance
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Dropout off, so that a step can be replayed exactly; training mode is checked with a hook.
NO_DROPOUT = {
    "gpt2": {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0},
    "bert": {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0},
}


def setup(name: str, optimizer: str):
    tiny = zoo.get(name)
    model = tiny.load_model(**NO_DROPOUT[name])
    tokenizer = tiny.load_tokenizer()
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    texts = zoo.corpus()[:3]
    batch = dict(tokenizer(texts, padding=True, return_tensors="pt"))
    if name == "gpt2":
        batch["labels"] = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    else:
        batch["labels"] = torch.tensor([1, 0, 1])
    make = {"sgd": lambda p: torch.optim.SGD(p, lr=0.5), "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2)}
    return model, make[optimizer](model.parameters()), batch


def stale_gradients(model) -> None:
    """What an earlier step could have left in .grad."""
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, 0.25)


def all_training(model) -> bool:
    """Whether the model and every module in it are in training mode."""
    return all(module.training for module in model.modules())


@pytest.mark.parametrize(
    ("name", "optimizer"),
    [("gpt2", "sgd"), ("bert", "sgd"), ("bert", "adamw")],
    ids=["gpt2-sgd", "bert-sgd", "bert-adamw"],
)
def test_one_step_updates_the_model_as_written_out_and_returns_the_loss(kata, name, optimizer):
    model, opt, batch = setup(name, optimizer)
    stale_gradients(model)
    expected_model, expected_opt = copy.deepcopy((model, opt))
    expected_loss = replay(expected_model, expected_opt, batch)
    stale_model, stale_opt = copy.deepcopy((model, opt))
    stale_model(**batch).loss.backward()  # the same step without zero_grad(), for the tip
    stale_opt.step()
    before = {key: value.clone() for key, value in batch.items()}
    modes: list[bool] = []
    # the model and every layer in it (dropout sits in the layers, not on the model object)
    model.register_forward_pre_hook(lambda module, args: modes.append(all_training(module)))
    loss = kata(model, opt, batch)
    expect(
        type(loss) is float,
        kata,
        got=describe(loss),
        expected="the loss as a Python float",
        tip="loss.item() gives the number; the tensor would keep the whole graph alive.",
    )
    expect(
        math.isclose(loss, expected_loss, rel_tol=1e-5, abs_tol=1e-6),
        kata,
        got=f"loss {loss!r}",
        expected=f"{expected_loss!r}: the model's own loss on the batch, before the update",
        tip="pass the batch with its labels to the model, model(**batch), and return outputs.loss.",
    )
    expect(
        modes and all(modes),
        kata,
        got="the model (or some of its layers) ran in evaluation mode" if modes else "the model never ran",
        expected="the forward pass in training mode, every layer of the model (model.train() first)",
        tip="from_pretrained leaves a model in evaluation mode: call model.train() before training; "
        "model.training = True switches the model object only, not its layers.",
    )
    off = distance(model, expected_model)
    expect(
        off < 1e-5,
        kata,
        got=f"weights {off:.2e} away from one step written out",
        expected="optimizer.zero_grad(), loss.backward(), optimizer.step(), in that order",
        tip="clear the gradients first: .grad held what an earlier step left, and backward() adds to it."
        if distance(model, stale_model) < 1e-5
        else None,
    )
    expect(
        all_training(model)
        and batch.keys() == before.keys()
        and all(torch.equal(batch[key], before[key]) for key in before),
        kata,
        got=f"model.training={model.training} (all layers: {all_training(model)}), batch {sorted(batch)}",
        expected="the model left in training mode, every layer of it, and the batch as it was",
    )


def test_two_steps_in_a_row_each_start_from_clean_gradients(kata):
    model, opt, batch = setup("gpt2", "sgd")
    expected_model, expected_opt = copy.deepcopy((model, opt))
    losses = [kata(model, opt, batch) for _ in range(2)]
    expected = [replay(expected_model, expected_opt, batch) for _ in range(2)]
    expect(
        all(math.isclose(a, b, rel_tol=1e-5) for a, b in zip(losses, expected, strict=True))
        and distance(model, expected_model) < 1e-5,
        kata,
        got=f"losses {losses}, weights {distance(model, expected_model):.2e} away",
        expected=f"losses {expected}: two steps, the second lower than the first",
    )


def test_a_batch_without_labels_is_refused_before_any_change(kata):
    model, opt, batch = setup("bert", "sgd")
    del batch["labels"]
    stale_gradients(model)
    untouched = copy.deepcopy(model)
    expect_raises(kata, ValueError, model, opt, batch, because="without labels there is no loss to train on")
    grads_kept = all(p.grad is not None and bool((p.grad == 0.25).all()) for p in model.parameters())
    expect(
        distance(model, untouched) == 0 and grads_kept and not any(m.training for m in model.modules()),
        kata,
        got=f"weights or gradients changed, or the mode (training={model.training})",
        expected="nothing changed for a refused call",
        tip="check the batch first, before model.train() and zero_grad().",
    )
