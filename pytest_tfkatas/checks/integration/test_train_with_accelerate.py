"""Hidden checks: train_with_accelerate."""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator

import accelerate
import pytest
import torch
from accelerate.state import AcceleratorState, GradientState
from torch.utils.data import DataLoader

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import weights_apart as distance
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Dropout off, so that the training can be replayed exactly; training mode is checked with a hook.
NO_DROPOUT = {
    "gpt2": {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0},
    "bert": {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0},
}


@pytest.fixture(autouse=True)
def fresh_accelerate_state() -> Iterator[None]:
    """Accelerate keeps its state in process-wide singletons: start and end each check without one,
    so that an Accelerator made by another kata's check (a Trainer's) cannot change this one's."""
    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()
    yield
    AcceleratorState._reset_state(reset_partial_state=True)
    GradientState._reset_state()


class Batches(DataLoader):
    """A DataLoader that says what it holds in the checks' messages."""

    def __repr__(self) -> str:
        return f"<DataLoader of {len(self)} batches>"


def setup(name: str, rows: int):
    """A model, its SGD optimizer (plain steps show the scale of the gradients) and a dataloader of
    batches of 2 rows (the last one smaller when ``rows`` is odd)."""
    tiny = zoo.get(name)
    model = tiny.load_model(**NO_DROPOUT[name])
    tokenizer = tiny.load_tokenizer()
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    encoded = tokenizer(zoo.corpus()[:rows], padding=True, return_tensors="pt")
    if name == "gpt2":
        labels = encoded["input_ids"].masked_fill(encoded["attention_mask"] == 0, -100)
    else:
        labels = torch.arange(rows) % 2
    data = [
        {
            "input_ids": encoded["input_ids"][i],
            "attention_mask": encoded["attention_mask"][i],
            "labels": labels[i],
        }
        for i in range(rows)
    ]
    optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
    return model, optimizer, Batches(data, batch_size=2)


def accumulated_by_hand(model, optimizer, dataloader, steps: int) -> list[float]:
    """Gradient accumulation written out: each loss divided by ``steps``, an update every ``steps``
    batches and after the last one."""
    model.train()
    losses = []
    count = len(dataloader)
    for index, batch in enumerate(dataloader):
        loss = model(**batch).loss
        (loss / steps).backward()
        losses.append(loss.detach().item())
        if (index + 1) % steps == 0 or index + 1 == count:
            optimizer.step()
            optimizer.zero_grad()
    return losses


def spy_on_backward(monkeypatch) -> list[tuple[int, bool]]:
    """Record each call of Accelerator.backward (they go through): the accumulation steps of its
    Accelerator and whether that batch syncs (updates the weights)."""
    calls: list[tuple[int, bool]] = []
    real = accelerate.Accelerator.backward

    def backward(self, loss, **kwargs):
        calls.append((self.gradient_accumulation_steps, self.sync_gradients))
        return real(self, loss, **kwargs)

    monkeypatch.setattr(accelerate.Accelerator, "backward", backward)
    return calls


def all_training(model) -> bool:
    return all(module.training for module in model.modules())


def check_training(kata, model, optimizer, dataloader, steps: int, calls: list[tuple[int, bool]]) -> None:
    expected_model, expected_optimizer = copy.deepcopy((model, optimizer))
    expected = accumulated_by_hand(expected_model, expected_optimizer, dataloader, steps)
    every_step = copy.deepcopy(model)  # for the tip: an update after every batch
    accumulated_by_hand(every_step, torch.optim.SGD(every_step.parameters(), lr=0.5), dataloader, 1)
    modes: list[bool] = []
    model.register_forward_pre_hook(lambda module, args: modes.append(all_training(module)))
    calls.clear()
    losses = kata(model, optimizer, dataloader, steps)
    expect(
        len(calls) == len(dataloader),
        kata,
        got=f"accelerator.backward called {len(calls)} times for {len(dataloader)} batches",
        expected="accelerator.backward(loss) once per batch: it scales the loss for accumulation",
        tip="loss.backward() bypasses Accelerate: call accelerator.backward(loss)." if not calls else None,
    )
    count = len(dataloader)
    syncs = [index + 1 for index in range(count) if (index + 1) % steps == 0 or index + 1 == count]
    expect(
        all(used == steps for used, _ in calls)
        and [i + 1 for i, (_, sync) in enumerate(calls) if sync] == syncs,
        kata,
        got=f"accelerator.backward called on an Accelerator with gradient_accumulation_steps "
        f"{sorted({used for used, _ in calls})}, syncing the gradients on batches "
        f"{[i + 1 for i, (_, sync) in enumerate(calls) if sync]}",
        expected=f"an Accelerator(gradient_accumulation_steps={steps}) and every batch inside "
        f"accelerator.accumulate(model), which syncs on batches {syncs} of {count}",
        tip="let Accelerate do the accumulation: give the Accelerator gradient_accumulation_steps and "
        "run each batch inside accelerator.accumulate(model), rather than counting batches yourself.",
    )
    off = distance(model, expected_model)
    expect(
        off < 1e-5,
        kata,
        got=f"weights {off:.2e} away from gradient accumulation written out",
        expected=f"an update every {steps} batches and after the last one, from the losses divided by "
        f"{steps}",
        tip="put the forward, backward, step and zero_grad inside `with accelerator.accumulate(model):`, "
        "and use the optimizer and dataloader that accelerator.prepare returned."
        if distance(model, every_step) < 1e-5 and steps > 1
        else None,
    )
    expect(
        isinstance(losses, list)
        and len(losses) == len(expected)
        and all(type(loss) is float for loss in losses)
        and all(
            math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6) for a, b in zip(losses, expected, strict=True)
        ),
        kata,
        got=describe(losses),
        expected=f"{expected}: each batch's loss as the model computed it (not divided), as floats",
    )
    expect(
        modes and all(modes) and all_training(model),
        kata,
        got="the model (or some of its layers) ran in evaluation mode" if modes else "the model never ran",
        expected="every batch in training mode (model.train() first), and the model left so",
    )


@pytest.mark.parametrize(
    ("name", "rows", "steps"),
    [("bert", 5, 2), ("bert", 7, 3), ("gpt2", 6, 1), ("gpt2", 5, 4)],
    ids=["bert 3 batches by 2", "bert 4 batches by 3", "gpt2 3 batches by 1", "gpt2 3 batches by 4"],
)
def test_the_weights_are_those_of_gradient_accumulation_written_out(kata, monkeypatch, name, rows, steps):
    calls = spy_on_backward(monkeypatch)
    model, optimizer, dataloader = setup(name, rows)
    check_training(kata, model, optimizer, dataloader, steps, calls)


def test_each_call_uses_its_own_accumulation_steps(kata, monkeypatch):
    calls = spy_on_backward(monkeypatch)
    for steps in (3, 1, 2):
        model, optimizer, dataloader = setup("bert", 5)
        check_training(kata, model, optimizer, dataloader, steps, calls)


@pytest.mark.parametrize("steps", [0, -1])
def test_fewer_than_one_accumulation_step_is_refused_before_any_change(kata, steps):
    model, optimizer, dataloader = setup("bert", 4)
    untouched = copy.deepcopy(model)
    expect_raises(
        kata,
        ValueError,
        model,
        optimizer,
        dataloader,
        steps,
        because="an update needs at least one batch (Accelerator itself would accept it)",
    )
    expect(
        distance(model, untouched) == 0 and not any(module.training for module in model.modules()),
        kata,
        got=f"weights or mode changed (training={model.training})",
        expected="nothing changed by a refused call",
    )
