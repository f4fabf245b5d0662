"""Hidden checks: schedule_learning_rate."""

from __future__ import annotations

import math

import pytest
import torch
from torch.optim.lr_scheduler import LRScheduler

from pytest_tfkatas.harness import describe, expect, expect_raises


def factor(schedule: str, step: int, warmup: int, total: int) -> float:
    """The contract's multiplier of the peak learning rate at ``step``, written out."""
    if step < warmup:
        return step / warmup
    progress = (step - warmup) / (total - warmup)
    if schedule == "linear":
        return 1.0 - progress
    return 0.5 * (1.0 + math.cos(math.pi * progress))


def optimizer_of(kind: str, peaks: tuple[float, ...]) -> torch.optim.Optimizer:
    """An optimizer with one parameter group per peak learning rate (tiny tensors, no model)."""
    groups = [
        {"params": [torch.nn.Parameter(torch.ones(3) * (i + 1))], "lr": lr} for i, lr in enumerate(peaks)
    ]
    if kind == "sgd":
        return torch.optim.SGD(groups, lr=peaks[0], momentum=0.9)
    return torch.optim.AdamW(groups, lr=peaks[0], weight_decay=0.01)


def rates_by_step(optimizer: torch.optim.Optimizer, scheduler: LRScheduler, steps: int) -> list[list[float]]:
    """Every group's learning rate at steps 0..steps, stepping as a training loop does."""
    seen = []
    for step in range(steps + 1):
        seen.append([group["lr"] for group in optimizer.param_groups])
        if step < steps:
            optimizer.step()  # no gradients: changes nothing, but keeps torch's order of calls
            scheduler.step()
    return seen


def same(a: float, b: float, peak: float) -> bool:
    """Equal to a millionth of the peak: a factor computed in float32 (torch.cos of a tensor) is
    right; a plausible mistake (a step early or late, a decay that stops short of 0) is off by far
    more."""
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-6 * peak)


def settings(optimizer: torch.optim.Optimizer, *leave_out: str) -> list[dict]:
    """Each group's settings but its parameters (and the keys left out)."""
    return [
        {key: value for key, value in group.items() if key not in ("params", *leave_out)}
        for group in optimizer.param_groups
    ]


def shown(rates: list[list[float]]) -> str:
    rows = [f"[{', '.join(f'{lr:.4g}' for lr in row)}]" for row in rates]
    return "step 0.. " + " ".join(rows)


def build(kata, kind, peaks, schedule, warmup, total):
    optimizer = optimizer_of(kind, peaks)
    scheduler = kata(optimizer, schedule, warmup, total)
    expect(
        isinstance(scheduler, LRScheduler) and getattr(scheduler, "optimizer", None) is optimizer,
        kata,
        got=describe(scheduler)
        + ("" if not isinstance(scheduler, LRScheduler) else " of another optimizer than the one given"),
        expected="a torch LRScheduler of the optimizer given",
        tip="transformers.get_scheduler(name, optimizer, num_warmup_steps=..., num_training_steps=...) "
        "builds one.",
    )
    return optimizer, scheduler


def expect_schedule(kata, schedule, warmup, total, *, kind="adamw", peaks=(1e-3,)):
    optimizer, scheduler = build(kata, kind, peaks, schedule, warmup, total)
    # with w == T, what follows the last step is left open by the contract
    last = total if warmup < total else total - 1
    got = rates_by_step(optimizer, scheduler, last)
    expected = [[peak * factor(schedule, step, warmup, total) for peak in peaks] for step in range(last + 1)]
    wrong = [
        step
        for step, (row, want) in enumerate(zip(got, expected, strict=True))
        if not all(same(a, b, peak) for a, b, peak in zip(row, want, peaks, strict=True))
    ]
    tip = None
    if wrong and wrong[0] == 0:
        tip = (
            "step 0 is the scheduler as built, before any scheduler.step(): return it unstepped, and "
            "let the warm-up start from 0."
            if warmup
            else "with no warm-up, step 0 is already at the peak learning rate."
        )
    elif (
        wrong
        and len(peaks) > 1
        and all(same(row[0], want[0], peaks[0]) for row, want in zip(got, expected, strict=True))
    ):
        tip = "each parameter group is scaled from its own learning rate, not from the first group's."
    expect(
        not wrong,
        kata,
        got=f"learning rates {shown(got)} (first wrong at step {wrong[0] if wrong else None})",
        expected=f"{shown(expected)}: {warmup} warm-up steps, then a {schedule} decay over the other "
        f"{total - warmup} of {total} steps",
        tip=tip,
    )
    return optimizer


@pytest.mark.parametrize(
    ("warmup", "total"),
    [(4, 10), (1, 3), (3, 3), (0, 1)],
    ids=["4 of 10", "1 of 3", "warm-up is the whole run", "one step, no warm-up"],
)
def test_linear_warms_up_to_the_peak_then_decays_to_zero(kata, warmup, total):
    expect_schedule(kata, "linear", warmup, total)


@pytest.mark.parametrize(
    ("warmup", "total"),
    [(2, 10), (0, 4), (1, 2), (5, 5)],
    ids=["2 of 10", "no warm-up", "1 of 2", "warm-up is the whole run"],
)
def test_cosine_warms_up_to_the_peak_then_follows_a_half_cosine_to_zero(kata, warmup, total):
    expect_schedule(kata, "cosine", warmup, total, kind="sgd", peaks=(0.5,))


@pytest.mark.parametrize("schedule", ["linear", "cosine"])
def test_each_parameter_group_keeps_its_own_peak_and_settings(kata, schedule):
    peaks = (0.1, 0.02)
    before = optimizer_of("sgd", peaks)
    optimizer = expect_schedule(kata, schedule, 2, 6, kind="sgd", peaks=peaks)
    settings = [
        {k: v for k, v in group.items() if k not in ("lr", "initial_lr", "params")}
        for group in before.param_groups
    ]
    now = [
        {k: v for k, v in group.items() if k not in ("lr", "initial_lr", "params")}
        for group in optimizer.param_groups
    ]
    expect(
        now == settings and len(optimizer.param_groups) == 2,
        kata,
        got=f"parameter groups {now}",
        expected=f"the groups' other settings as they were: {settings}",
        tip="the scheduler changes only the learning rates.",
    )


@pytest.mark.parametrize(
    ("schedule", "warmup", "total", "because"),
    [
        ("constant", 0, 5, "only 'linear' and 'cosine' are allowed"),
        ("polynomial", 1, 5, "only 'linear' and 'cosine' are allowed"),
        ("cosine_with_restarts", 1, 5, "only 'linear' and 'cosine' are allowed"),
        ("Linear", 1, 5, "the schedule is 'linear', in lower case"),
        ("linear", 6, 5, "6 warm-up steps do not fit in 5 training steps"),
        ("cosine", -1, 5, "a negative number of warm-up steps means nothing"),
        ("linear", 0, 0, "a run has at least one step"),
    ],
    ids=[
        "constant",
        "polynomial",
        "cosine with restarts",
        "capitalised",
        "warm-up longer than the run",
        "negative warm-up",
        "no steps",
    ],
)
def test_a_bad_schedule_raises_value_error_and_leaves_the_optimizer_alone(
    kata, schedule, warmup, total, because
):
    optimizer = optimizer_of("adamw", (1e-3, 3e-4))
    was = settings(optimizer)
    expect_raises(kata, ValueError, optimizer, schedule, warmup, total, because=because)
    now = settings(optimizer)
    expect(
        now == was,
        kata,
        got=f"the optimizer's groups changed to {now}",
        expected=f"the optimizer left as it was, {was}, when the schedule is refused",
        tip="check the arguments before building the scheduler: building it sets the learning rates.",
    )
