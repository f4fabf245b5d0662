"""Hidden checks: accumulate_gradients."""

from __future__ import annotations

import copy
import math

import pytest
import torch
from transformers.modeling_layers import GradientCheckpointingLayer

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.fine_tuning.helpers import texts
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Plain SGD: its update is -lr × gradient, so a wrongly scaled gradient shows in the new weights
#: (Adam's first step would divide the scale away).
LR = 0.5
#: Dropout off, so that a step can be replayed exactly; training mode is checked with hooks.
NO_DROPOUT = {"gpt2": {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0}, "llama": {}}
#: How many lines of the corpus each micro-batch holds: their token counts differ.
SIZES = (2, 1, 3, 2, 1, 2, 3)


def micro_batches(name: str, count: int) -> list[dict[str, torch.Tensor]]:
    """``count`` micro-batches of corpus lines, each padded to its own length, on the right or on
    the left; in every other one the first two tokens of each row are left out of the loss, as a
    prompt would be (so the attention mask does not tell which tokens count)."""
    tokenizer = zoo.get(name).load_tokenizer()
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    batches, start = [], 0
    for index, size in enumerate(SIZES[:count]):
        lines = [line[: 30 + 9 * i] for i, line in enumerate(texts(size, start=start))]
        start += size
        side = "left" if index % 3 == 2 else "right"
        batch = dict(tokenizer(lines, padding=True, padding_side=side, return_tensors="pt"))
        mask = batch["attention_mask"]
        prompt = (mask.cumsum(dim=1) <= 2) if index % 2 else torch.zeros_like(mask, dtype=torch.bool)
        batch["labels"] = batch["input_ids"].masked_fill((mask == 0) | prompt, -100)
        batches.append(batch)
    return batches


def put_together(group: list[dict[str, torch.Tensor]]) -> dict[str, torch.Tensor]:
    """One batch of the rows of every micro-batch of ``group``, padded on the right to one length."""
    width = max(batch["input_ids"].shape[1] for batch in group)
    fill = {"input_ids": 0, "attention_mask": 0, "labels": -100}
    return {
        key: torch.cat(
            [
                torch.nn.functional.pad(batch[key], (0, width - batch[key].shape[1]), value=value)
                for batch in group
            ]
        )
        for key, value in fill.items()
    }


def big_batch_steps(model, batches, k: int) -> list[float]:
    """What the kata must do, computed another way: one plain SGD step per group of ``k``
    micro-batches, on the group put together as one batch; the loss of each before its step."""
    model.train()
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    losses = []
    for start in range(0, len(batches), k):
        optimizer.zero_grad()
        loss = model(**put_together(batches[start : start + k])).loss
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def update_error(model, expected, before) -> float:
    """How far the weights moved from where ``expected`` moved, relative to its largest move."""
    moved = max(
        float((e.detach() - b).abs().max()) for e, b in zip(expected.parameters(), before, strict=True)
    )
    off = max(
        float((p.detach() - e.detach()).abs().max())
        for p, e in zip(model.parameters(), expected.parameters(), strict=True)
    )
    return off / moved


def gradients_cleared(model) -> bool:
    return all(p.grad is None or not p.grad.any() for p in model.parameters())


def all_training(model) -> bool:
    return all(module.training for module in model.modules())


class Recorder:
    """Watches a model and its optimizer during the call: the optimizer's steps, and at every
    forward pass of the model whether its layers were checkpointed and whether a cache was used."""

    def __init__(self, model, optimizer) -> None:
        self.steps = 0
        self.forwards: list[dict[str, object]] = []
        #: the shape of the input ids of every forward pass that builds a graph
        self.shapes: list[tuple[int, ...]] = []
        #: in order: "F" a forward pass that builds a graph, "B" the backward pass through its
        #: output, "S" a call of optimizer.step()
        self.events: list[str] = []
        optimizer.register_step_pre_hook(self.on_step)
        model.register_forward_pre_hook(self.on_forward, with_kwargs=True)
        model.register_forward_hook(self.after_forward)
        self.layers = [m for m in model.modules() if isinstance(m, GradientCheckpointingLayer)]

    def on_step(self, optimizer, args, kwargs) -> None:
        self.steps += 1
        self.events.append("S")

    def after_forward(self, model, args, output) -> None:
        values = output.to_tuple() if hasattr(output, "to_tuple") else output
        logits = next(
            (v for v in values if isinstance(v, torch.Tensor) and v.dim() == 3 and v.requires_grad), None
        )
        if torch.is_grad_enabled() and logits is not None:
            logits.register_hook(lambda grad: self.events.append("B"))

    def on_forward(self, model, args, kwargs) -> None:
        use_cache = kwargs.get("use_cache")
        ids = kwargs.get("input_ids", args[0] if args else None)
        if torch.is_grad_enabled() and ids is not None:
            self.shapes.append(tuple(ids.shape))
            self.events.append("F")
        self.forwards.append(
            {
                "checkpointed": bool(self.layers)
                and torch.is_grad_enabled()
                and all(layer.gradient_checkpointing and layer.training for layer in self.layers),
                "cache": model.config.use_cache if use_cache is None else bool(use_cache),
            }
        )


def setup(name: str, stale: bool = False):
    model = zoo.get(name).load_model(**NO_DROPOUT[name])
    if stale:  # what an earlier step without zero_grad() would leave behind
        for parameter in model.parameters():
            parameter.grad = torch.full_like(parameter, 0.25)
    return model, torch.optim.SGD(model.parameters(), lr=LR)


def run(kata, name: str, count: int, k: int, *, container=list, stale: bool = False):
    """Call the kata on ``count`` micro-batches in groups of ``k`` and check everything the
    contract promises; return the model and what was recorded."""
    batches = micro_batches(name, count)
    model, optimizer = setup(name, stale)
    expected_model = copy.deepcopy(model)
    expected_losses = big_batch_steps(expected_model, batches, k)
    before = [p.detach().clone() for p in model.parameters()]
    config = model.config.to_dict()
    given = container(dict(batch) for batch in batches)
    copies = [{key: value.clone() for key, value in batch.items()} for batch in batches]
    recorder = Recorder(model, optimizer)
    losses = kata(model, optimizer, given, k)
    steps = math.ceil(count / k)
    expect(
        type(losses) is list and all(type(loss) is float for loss in losses),
        kata,
        got=describe(losses),
        expected=f"a list of {steps} Python floats, one loss per optimizer step",
        tip="loss.item() gives a float; the tensor would keep the graph alive.",
    )
    layout = f"{count} micro-batches in groups of {k}"
    shapes = [tuple(batch["input_ids"].shape) for batch in batches]
    expect(
        sorted(recorder.shapes) == sorted(shapes),
        kata,
        got=f"forward passes with gradients on inputs of shapes {recorder.shapes}",
        expected=f"one forward pass per micro-batch, shapes {shapes}",
        tip="run each micro-batch through the model on its own: only one micro-batch's activations "
        "should be in memory at a time, which is the point of accumulating."
        if len(recorder.shapes) < len(shapes)
        else None,
    )
    expect(
        recorder.steps == steps,
        kata,
        got=f"{recorder.steps} calls of optimizer.step() for {layout}",
        expected=f"{steps}: one per group of {k}, and one for the last, smaller group if any"
        if count % k
        else f"{steps}: one per group of {k}",
        tip="the micro-batches left over at the end make a step of their own."
        if recorder.steps == count // k and count % k
        else None,
    )
    order = "".join("FB" * len(batches[i : i + k]) + "S" for i in range(0, count, k))
    done = "".join(recorder.events)
    expect(
        done == order,
        kata,
        got=f"the calls in this order: {' '.join(done)} (F: a forward pass with gradients, B: the "
        "backward pass through its output, S: optimizer.step())",
        expected=f"{' '.join(order)}: each micro-batch's backward right after its own forward, one "
        "step per group",
        tip="call backward() on each micro-batch's loss before the next forward pass: adding the "
        "losses up (or keeping them) and calling backward() later holds every micro-batch's "
        "activations in memory at once, which accumulation is meant to avoid."
        if "FF" in done
        else None,
    )
    expect(
        len(losses) == steps
        and all(math.isclose(a, b, rel_tol=1e-4) for a, b in zip(losses, expected_losses, strict=True)),
        kata,
        got=f"losses {losses}",
        expected=f"{expected_losses}: each the loss of its group put together, the mean over all "
        "the group's predicted tokens",
        tip="the micro-batches' means are over different numbers of tokens: add up each micro-batch's "
        "token losses and divide by the group's number of predicted tokens.",
    )
    off = update_error(model, expected_model, before)
    expect(
        off < 1e-3,
        kata,
        got=f"weights that differ from the expected ones by {off:.2%} of the update",
        expected=f"the weights of {steps} SGD step(s) (lr={LR}), each on its group of micro-batches "
        "put together as one batch",
        tip="weight each micro-batch's loss by its share of the group's predicted tokens (labels "
        "not -100 after the shift by one), not by 1 / accumulation_steps; the model's forward takes "
        "num_items_in_batch for that.",
    )
    expect(
        len(given) == len(copies)
        and all(
            batch.keys() == saved.keys() and all(torch.equal(batch[key], saved[key]) for key in saved)
            for batch, saved in zip(given, copies, strict=True)
        ),
        kata,
        got=f"micro-batches changed by the call ({len(given)} of the {len(copies)} left)"
        if len(given) != len(copies)
        else "micro-batches changed by the call",
        expected="the micro-batches left as they were given, the same keys and tensors",
        tip="take each group as a slice, micro_batches[start : start + k], instead of popping it from "
        "the caller's list."
        if len(given) != len(copies)
        else "read batch['labels']; do not pop it or change the tensors in place.",
    )
    expect(
        all_training(model) and gradients_cleared(model) and model.config.to_dict() == config,
        kata,
        got=f"model.training={model.training} (all layers: {all_training(model)}), gradients cleared: "
        f"{gradients_cleared(model)}, config unchanged: {model.config.to_dict() == config}",
        expected="the model left in training mode, its gradients cleared after the last step, and its "
        "config as it was",
        tip="pass use_cache=False to the forward instead of changing model.config."
        if model.config.to_dict() != config
        else None,
    )
    return model, recorder


@pytest.mark.parametrize(
    ("name", "container"), [("gpt2", list), ("llama", tuple)], ids=["gpt2-list", "llama-tuple"]
)
def test_each_step_equals_one_step_on_its_micro_batches_put_together(kata, name, container):
    run(kata, name, 4, 2, container=container)


@pytest.mark.parametrize(("count", "k"), [(5, 2), (7, 3), (3, 7)], ids=["5 by 2", "7 by 3", "3 by 7"])
def test_leftover_micro_batches_make_a_last_smaller_step(kata, count, k):
    run(kata, "gpt2", count, k)


@pytest.mark.parametrize(("count", "k"), [(3, 1), (3, 3)], ids=["steps of 1", "one step of all"])
def test_accumulation_steps_on_the_boundaries(kata, count, k):
    run(kata, "llama", count, k)


@pytest.mark.parametrize("name", ["gpt2", "llama"])
def test_checkpointing_is_on_in_every_forward_pass_and_stays_on(kata, name):
    model, recorder = run(kata, name, 3, 2)
    expect(
        len(recorder.forwards) >= 3 and all(forward["checkpointed"] for forward in recorder.forwards),
        kata,
        got=f"{sum(bool(f['checkpointed']) for f in recorder.forwards)} of {len(recorder.forwards)} "
        "forward passes with every layer checkpointed",
        expected="activation checkpointing on, in training mode, in every forward pass",
        tip="model.activation_checkpointing_enable() (or the deprecated gradient_checkpointing_enable()"
        "); it acts only in training mode, so call model.train() too.",
    )
    expect(
        not any(forward["cache"] for forward in recorder.forwards),
        kata,
        got=f"use_cache={[f['cache'] for f in recorder.forwards]} in the forward passes",
        expected="use_cache=False in every forward pass",
        tip="pass use_cache=False to the model: a cache is useless in training, and checkpointing "
        "cannot keep one.",
    )
    expect(
        model.is_activation_checkpointing,
        kata,
        got="activation checkpointing turned off at the end",
        expected="activation checkpointing left on after the call",
    )


def test_gradients_of_an_earlier_step_do_not_leak_in(kata):
    run(kata, "gpt2", 4, 2, stale=True)


@pytest.mark.parametrize(
    ("k", "batches"),
    [(0, "4"), (-1, "4"), (2, "[]"), (1, "()")],
    ids=["steps 0", "steps -1", "empty list", "empty tuple"],
)
def test_bad_input_raises_value_error_before_any_change(kata, k, batches):
    model, optimizer = setup("gpt2", stale=True)
    given = {"4": micro_batches("gpt2", 4), "[]": [], "()": ()}[batches]
    before = [p.detach().clone() for p in model.parameters()]
    because = f"accumulation_steps={k} is less than 1" if k < 1 else "there are no micro-batches to train on"
    expect_raises(kata, ValueError, model, optimizer, given, k, because=because)
    unchanged = all(torch.equal(p, b) for p, b in zip(model.parameters(), before, strict=True))
    grads_kept = all(p.grad is not None and bool((p.grad == 0.25).all()) for p in model.parameters())
    expect(
        unchanged and grads_kept and not model.training and not model.is_activation_checkpointing,
        kata,
        got=f"weights unchanged: {unchanged}, gradients kept: {grads_kept}, training={model.training}, "
        f"checkpointing={model.is_activation_checkpointing}",
        expected="nothing changed for a refused call",
        tip="check the arguments first, before model.train(), checkpointing and zero_grad().",
    )
