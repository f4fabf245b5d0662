"""Hidden checks: mixed_precision_step.

Each check replays the step written out under bfloat16 autocast on a copy of the model: autocast
on the CPU is deterministic, so a right answer lands on the same weights. Hooks see the dtypes
inside the forward pass: the outputs of the matrix products (bfloat16 under autocast) and the
parameters (still float32).
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterator
from types import MappingProxyType

import pytest
import torch
from transformers.pytorch_utils import Conv1D

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import one_training_step, weights_apart
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Dropout off, so that a step can be replayed exactly; training mode is checked with a hook.
NO_DROPOUT = {
    "gpt2": {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0},
    "bert": {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0},
    "llama": {"attention_dropout": 0.0},
}


@pytest.fixture(autouse=True)
def _autocast_restored() -> Iterator[None]:
    """Autocast switched back to how it was after each check, should the learner's code have left
    it on: later checks (and the caller's code) must not run under it."""
    enabled, dtype = torch.is_autocast_enabled("cpu"), torch.get_autocast_dtype("cpu")
    yield
    torch.set_autocast_enabled("cpu", enabled)
    torch.set_autocast_dtype("cpu", dtype)


def setup(name: str, optimizer: str):
    tiny = zoo.get(name)
    model = tiny.load_model(**NO_DROPOUT[name])
    tokenizer = tiny.load_tokenizer()
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    batch = dict(tokenizer(zoo.corpus()[3:6], padding=True, return_tensors="pt"))
    if name == "bert":
        batch["labels"] = torch.tensor([0, 1, 1])
    else:
        batch["labels"] = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    make = {"sgd": lambda p: torch.optim.SGD(p, lr=0.5), "adamw": lambda p: torch.optim.AdamW(p, lr=1e-2)}
    return model, make[optimizer](model.parameters()), batch


def stale_gradients(model) -> None:
    """What an earlier step could have left in .grad."""
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, 0.25)


def autocast_step(model, optimizer, batch) -> float:
    """The step written out: bfloat16 autocast around the forward pass."""
    model.train()
    optimizer.zero_grad()
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        loss = model(**batch).loss
    loss.backward()
    optimizer.step()
    return loss.item()


class Inside:
    """What the forward passes of a model saw: the dtypes of the matrix products' outputs, of
    the parameters, and whether every layer was in training mode."""

    def __init__(self, model) -> None:
        self.products: set[torch.dtype] = set()
        self.parameters: set[torch.dtype] = set()
        self.modes: list[bool] = []
        model.register_forward_pre_hook(self._before)
        for module in model.modules():
            if isinstance(module, (torch.nn.Linear, Conv1D)):
                module.register_forward_hook(self._product)

    def _before(self, module, args) -> None:
        self.modes.append(all(m.training for m in module.modules()))
        self.parameters |= {p.dtype for p in module.parameters()}

    def _product(self, module, args, output) -> None:
        self.products.add(output.dtype)


def product_tip(inside: Inside) -> str | None:
    """What a forward pass with the wrong dtypes probably did, for the tip."""
    if inside.parameters != {torch.float32}:
        return (
            "autocast changes dtypes op by op and leaves the weights alone: model.to(torch.bfloat16) casts "
            "the weights themselves."
        )
    if torch.float16 in inside.products:
        return "float16 autocast is the GPU recipe: on the CPU, use dtype=torch.bfloat16."
    if inside.products == {torch.float32}:
        return "the model call itself, which computes the loss, goes inside the autocast block."
    return None


def names(dtypes) -> str:
    return ", ".join(sorted(str(dtype).removeprefix("torch.") for dtype in dtypes)) or "none"


@pytest.mark.parametrize(
    ("name", "optimizer", "read_only"),
    [
        ("gpt2", "sgd", False),
        ("bert", "sgd", False),
        ("llama", "sgd", False),
        ("llama", "adamw", False),
        ("gpt2", "adamw", True),
    ],
    ids=[
        "gpt2-sgd",
        "bert-sgd",
        "llama-sgd",
        "llama-adamw",
        "gpt2-adamw, a read-only batch without attention_mask",
    ],
)
def test_one_step_runs_the_forward_in_bfloat16_and_updates_the_float32_weights(
    kata, name, optimizer, read_only
):
    model, opt, batch = setup(name, optimizer)
    if read_only:
        # attention_mask is optional, and a Mapping need not be a dict: the caller's batch may be
        # read-only, and the step must not change it (not even to put it back).
        del batch["attention_mask"]
        batch = MappingProxyType(batch)
    stale_gradients(model)
    expected_model, expected_opt = copy.deepcopy((model, opt))
    expected_loss = autocast_step(expected_model, expected_opt, batch)
    stale_model, stale_opt = copy.deepcopy((model, opt))
    stale_model.train()
    with torch.autocast(device_type="cpu", dtype=torch.bfloat16):
        stale_loss = stale_model(**batch).loss
    stale_loss.backward()  # the same step without zero_grad(), for the tip
    stale_opt.step()
    full_model, full_opt = copy.deepcopy((model, opt))
    full_model.train()
    full_loss = one_training_step(full_model, full_opt, batch)  # float32 all along, for messages
    before = {key: value.clone() for key, value in batch.items()}
    start = copy.deepcopy(model)
    inside = Inside(model)
    loss = kata(model, opt, batch)
    expect(
        type(loss) is float,
        kata,
        got=describe(loss),
        expected="the loss as a Python float",
        tip="loss.item() gives the number; the tensor would keep the whole graph alive.",
    )
    expect(
        inside.products == {torch.bfloat16} and inside.parameters == {torch.float32},
        kata,
        got=f"a forward pass whose matrix products gave {names(inside.products)} and whose parameters were "
        f"{names(inside.parameters)}",
        expected="matrix products in bfloat16 with float32 parameters: the forward pass under "
        'torch.autocast(device_type="cpu", dtype=torch.bfloat16)',
        tip=product_tip(inside),
    )
    expect(
        math.isclose(loss, expected_loss, rel_tol=1e-6, abs_tol=1e-7),
        kata,
        got=f"loss {loss!r}",
        expected=f"{expected_loss!r}: the model's own loss on the batch, under autocast, before the update "
        f"(float32 all along gives {full_loss!r})",
        tip="return loss.item() of the loss the model computed, without casting it to bfloat16.",
    )
    expect(
        inside.modes and all(inside.modes),
        kata,
        got="the model (or some of its layers) ran in evaluation mode"
        if inside.modes
        else "the model never ran",
        expected="the forward pass in training mode, every layer of the model (model.train() first)",
    )
    off = weights_apart(model, expected_model)
    expect(
        off < 1e-6,
        kata,
        got=f"weights {off:.2e} away from the mixed-precision step written out "
        f"({weights_apart(model, full_model):.2e} from a float32 step, {weights_apart(model, start):.2e} "
        "from where they started)",
        expected="optimizer.zero_grad(), the loss under bfloat16 autocast, loss.backward(), optimizer.step()",
        tip="clear the gradients first: .grad held what an earlier step left, and backward() adds to it."
        if weights_apart(model, stale_model) < 1e-6
        else None,
    )
    dtypes = {p.dtype for p in model.parameters()} | {
        p.grad.dtype for p in model.parameters() if p.grad is not None
    }
    expect(
        dtypes == {torch.float32}
        and all(m.training for m in model.modules())
        and not torch.is_autocast_enabled("cpu")
        and batch.keys() == before.keys()
        and all(torch.equal(batch[key], before[key]) for key in before),
        kata,
        got=f"parameters and gradients in {names(dtypes)}, training mode {model.training}, autocast on "
        f"after the call: {torch.is_autocast_enabled('cpu')}, batch {sorted(batch)}",
        expected="float32 parameters and gradients, the model in training mode, autocast off again, the "
        "batch as it was",
        tip="leave autocast with a with block; it must not stay on for the caller.",
    )


def test_two_steps_in_a_row_each_start_from_clean_gradients(kata):
    model, opt, batch = setup("gpt2", "adamw")
    expected_model, expected_opt = copy.deepcopy((model, opt))
    losses = [kata(model, opt, batch) for _ in range(2)]
    expected = [autocast_step(expected_model, expected_opt, batch) for _ in range(2)]
    off = weights_apart(model, expected_model)
    expect(
        all(math.isclose(a, b, rel_tol=1e-6) for a, b in zip(losses, expected, strict=True)) and off < 1e-6,
        kata,
        got=f"losses {losses}, weights {off:.2e} away",
        expected=f"losses {expected}: two mixed-precision steps, each from clean gradients",
    )


def untouched(kata, model, opt, batch, *, because: str, tip: str) -> None:
    stale_gradients(model)
    grads = [p.grad.clone() for p in model.parameters()]
    weights = copy.deepcopy(model)
    expect_raises(kata, ValueError, model, opt, batch, because=because)
    same_grads = all(
        p.grad is not None and torch.equal(p.grad, g) for p, g in zip(model.parameters(), grads, strict=True)
    )
    expect(
        weights_apart(model, weights) == 0 and same_grads and not any(m.training for m in model.modules()),
        kata,
        got=f"weights or gradients changed, or the mode (training={model.training})",
        expected="nothing changed for a refused call",
        tip=tip,
    )


def test_a_batch_without_labels_is_refused_before_any_change(kata):
    model, opt, batch = setup("bert", "sgd")
    del batch["labels"]
    untouched(
        kata,
        model,
        opt,
        batch,
        because="without labels there is no loss to train on",
        tip="check the batch first, before model.train() and zero_grad().",
    )


def not_float32_model(which: str):
    """A model with weights that are not all float32, and a batch for it: a checkpoint saved in
    bfloat16, a float32 classifier whose head alone was cast to bfloat16 (its first weights, and
    model.dtype, float32), one cast to float16, one cast to float64."""
    if which == "saved":
        model = zoo.get("gpt2-bf16").load_model()
        _, _, batch = setup("gpt2", "sgd")
    else:
        model, _, batch = setup("bert", "sgd")
        if which == "head":
            model.classifier.to(torch.bfloat16)
        else:
            model.to(torch.float16 if which == "float16" else torch.float64)
    assert {p.dtype for p in model.parameters()} != {torch.float32}, "the check needs weights not float32"
    return model, batch


@pytest.mark.parametrize(
    ("which", "dtype"),
    [("saved", "bfloat16"), ("head", "bfloat16"), ("float16", "float16"), ("float64", "float64")],
    ids=["saved in bfloat16", "only its head in bfloat16", "cast to float16", "cast to float64"],
)
def test_a_model_with_weights_other_than_float32_is_refused_before_any_change(kata, which, dtype):
    model, batch = not_float32_model(which)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    untouched(
        kata,
        model,
        opt,
        batch,
        because=f"mixed precision keeps float32 weights: a model with {dtype} ones is not mixed precision",
        tip="look at the dtype of every parameter before training, not only the first one (model.dtype)."
        if which == "head"
        else "refuse every dtype but float32, not only the 16-bit ones."
        if which == "float64"
        else "refuse every dtype but float32: float16 weights are not mixed precision either.",
    )
