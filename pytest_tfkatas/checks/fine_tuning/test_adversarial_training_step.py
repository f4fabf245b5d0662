"""Hidden checks: adversarial_training_step."""

from __future__ import annotations

import copy
import math

import pytest
import torch

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.fine_tuning.helpers import texts
from pytest_tfkatas.harness import describe, expect, expect_raises

#: Plain SGD: its update is -lr × gradient, so the sum of the two gradients shows in the weights.
LR = 0.5
#: Dropout off, so that a step can be replayed exactly; training mode is checked with a hook.
NO_DROPOUT = {
    "gpt2": {"resid_pdrop": 0.0, "embd_pdrop": 0.0, "attn_pdrop": 0.0},
    "bert": {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0},
    "llama": {},
}


def setup(name: str, *, stale: bool = False, frozen: bool = False, dead_head: bool = False):
    """A fresh model of the zoo without dropout, a batch with labels, and SGD on what is trainable."""
    tiny = zoo.get(name)
    model = tiny.load_model(**NO_DROPOUT[name])
    tokenizer = tiny.load_tokenizer()
    tokenizer.pad_token = tokenizer.pad_token or tokenizer.eos_token
    batch = dict(tokenizer(texts(3, start=5), padding=True, return_tensors="pt"))
    if name == "bert":
        batch["labels"] = torch.tensor([1, 0, 0])
    else:
        batch["labels"] = batch["input_ids"].masked_fill(batch["attention_mask"] == 0, -100)
    if frozen:
        model.get_input_embeddings().weight.requires_grad_(False)
    if dead_head:  # a classifier of zeros: no gradient reaches anything below it, exactly 0
        with torch.no_grad():
            model.classifier.weight.zero_()
    if stale:  # what an earlier step without zero_grad() would leave behind
        for parameter in model.parameters():
            if parameter.requires_grad:
                parameter.grad = torch.full_like(parameter, 0.25)
    optimizer = torch.optim.SGD([p for p in model.parameters() if p.requires_grad], lr=LR)
    return model, optimizer, batch


def gradients_at(model, batch, shift=None, hook=None) -> tuple[float, dict[str, torch.Tensor]]:
    """The loss and the gradients of a copy of ``model`` on ``batch``, its word embeddings moved
    by ``shift`` first (and their gradient passed through ``hook``)."""
    model = copy.deepcopy(model)
    model.train()
    if hook is not None:
        model.get_input_embeddings().weight.register_hook(hook)
    for parameter in model.parameters():
        parameter.grad = None
    if shift is not None:
        with torch.no_grad():
            model.get_input_embeddings().weight += shift
    loss = model(**batch).loss
    loss.backward()
    return loss.item(), {name: p.grad.clone() for name, p in model.named_parameters() if p.grad is not None}


def fgm_shift(model, grads: dict[str, torch.Tensor], epsilon: float) -> torch.Tensor | None:
    """epsilon × g / ||g|| for the gradient g of the word embeddings, or None when there is no
    usable gradient."""
    embeddings = model.get_input_embeddings().weight
    name = next(name for name, p in model.named_parameters() if p is embeddings)
    grad = grads.get(name)
    if grad is None:
        return None
    norm = math.sqrt(float(grad.double().pow(2).sum()))
    return epsilon * grad / norm if 0 < norm < math.inf else None


def expected_step(model, batch, epsilon: float, hook=None):
    """The model after the step, its clean loss and its adversarial loss, computed another way:
    the gradients of two separate copies (the clean batch; the embeddings moved by FGM) summed."""
    clean, clean_grads = gradients_at(model, batch, hook=hook)
    shift = fgm_shift(model, clean_grads, epsilon)
    adversarial, adversarial_grads = gradients_at(model, batch, shift, hook)
    expected = copy.deepcopy(model)
    with torch.no_grad():
        for name, parameter in expected.named_parameters():
            if name in clean_grads:
                parameter -= LR * (clean_grads[name] + adversarial_grads[name])
    return expected, clean, adversarial


def difference(got: torch.Tensor, expected: torch.Tensor) -> torch.Tensor:
    """|got - expected|, 0 where both hold the same value, infinities and NaN included."""
    same = (got == expected) | (got.isnan() & expected.isnan())
    return torch.where(same, 0, (got - expected).abs())


def all_training(model) -> bool:
    return all(module.training for module in model.modules())


class Recorder:
    """What the optimizer saw at its steps (the word embeddings then), and the mode of every
    forward pass."""

    def __init__(self, model, optimizer) -> None:
        self.embeddings = model.get_input_embeddings().weight
        self.at_steps: list[torch.Tensor] = []
        self.modes: list[bool] = []
        optimizer.register_step_pre_hook(self.on_step)
        model.register_forward_pre_hook(lambda module, args: self.modes.append(all_training(module)))

    def on_step(self, optimizer, args, kwargs) -> None:
        self.at_steps.append(self.embeddings.detach().clone())


def run(kata, model, optimizer, batch, epsilon: float, *, hook=None):
    """Call the kata and check every promise of the contract against an independent computation."""
    embeddings = model.get_input_embeddings().weight
    tied = model.get_output_embeddings() is not None and model.get_output_embeddings().weight is embeddings
    original = embeddings.detach().clone()
    before = [p.detach().clone() for p in model.parameters()]
    expected_model, clean, adversarial = expected_step(model, batch, epsilon, hook)
    handle = None if hook is None else embeddings.register_hook(hook)
    saved = {key: value.clone() for key, value in batch.items()}
    recorder = Recorder(model, optimizer)
    try:
        result = kata(model, optimizer, batch, epsilon)
    finally:
        if handle is not None:
            handle.remove()
    expect(
        type(result) is tuple and len(result) == 2 and all(type(loss) is float for loss in result),
        kata,
        got=describe(result),
        expected="a tuple of two Python floats, (clean_loss, adversarial_loss)",
        tip="return clean_loss.item(), adversarial_loss.item()",
    )
    expect(
        math.isclose(result[0], clean, rel_tol=1e-5, abs_tol=1e-6),
        kata,
        got=f"clean loss {result[0]!r}",
        expected=f"{clean!r}: the model's loss on the batch as it came, before the update",
    )
    expect(
        math.isclose(result[1], adversarial, rel_tol=1e-4, abs_tol=1e-6),
        kata,
        got=f"adversarial loss {result[1]!r}",
        expected=f"{adversarial!r}: the loss with only the word embeddings moved by epsilon * g / ||g|| "
        "(g their gradient, ||g|| its L2 norm over the whole matrix)"
        if epsilon
        else f"{adversarial!r}: with epsilon 0, the clean loss again",
        tip="perturb model.get_input_embeddings().weight only, along its gradient divided by the "
        "gradient's norm (not its sign, not row by row); leave it unperturbed when the norm is 0 "
        "or not finite or there is no gradient.",
    )
    expect(
        len(recorder.at_steps) == 1,
        kata,
        got=f"{len(recorder.at_steps)} calls of optimizer.step()",
        expected="one optimizer.step(), after both backward passes",
    )
    restored = torch.equal(recorder.at_steps[0], original)
    drift = float((recorder.at_steps[0] - original).abs().max())
    expect(
        restored,
        kata,
        got=f"word embeddings off by up to {drift:.3g} from the original ones when optimizer.step() ran",
        expected="the word embeddings put back bit for bit before the step",
        tip="keep a copy (weight.detach().clone()) and copy it back: subtracting the perturbation "
        "again is not exact in floating point."
        if drift < 1e-5
        else "put the original embeddings back before optimizer.step(), not after it.",
    )
    expect(
        model.get_input_embeddings().weight is embeddings
        and (not tied or model.get_output_embeddings().weight is embeddings),
        kata,
        got="a new Parameter as the model's word embeddings after the call",
        expected="the same Parameter object, changed in place (the optimizer holds that one"
        + (", and the output layer shares it)" if tied else ")"),
        tip="write into the weight in place (weight.copy_(saved) under torch.no_grad()) instead of "
        "assigning a new nn.Parameter.",
    )
    # (with a gradient that is not finite the step writes inf or NaN into the embeddings: those
    # entries must match as they are, the others within the tolerance)
    moved = max(
        float(torch.where(e.isfinite(), (e.detach() - b).abs(), 0).max())
        for e, b in zip(expected_model.parameters(), before, strict=True)
    )
    off = max(
        float(torch.nan_to_num(difference(p.detach(), e.detach()), nan=math.inf).max())
        for p, e in zip(model.parameters(), expected_model.parameters(), strict=True)
    )
    expect(
        off < 1e-3 * moved,
        kata,
        got=f"weights that differ from the expected ones by {off / moved:.2%} of the update",
        expected=f"one SGD step (lr={LR}) from the original weights with the sum of the clean and "
        "the adversarial gradients",
        tip="do not clear the gradients between the two backward passes: the step uses their sum."
        if hook is None
        else "when the norm is not finite, leave the embeddings as they are but still run the second "
        "pass and its backward: the step uses the sum of both gradients.",
    )
    cleared = all(p.grad is None or not p.grad.any() for p in model.parameters())
    expect(
        recorder.modes and all(recorder.modes) and all_training(model) and cleared,
        kata,
        got=f"forward passes in training mode: {recorder.modes}, training afterwards: {all_training(model)}, "
        f"gradients cleared afterwards: {cleared}",
        expected="both forward passes in training mode, the model left in training mode, and the "
        "gradients cleared after the step",
    )
    expect(
        batch.keys() == saved.keys() and all(torch.equal(batch[key], saved[key]) for key in saved),
        kata,
        got=f"a batch with keys {sorted(batch)} after the call",
        expected="the batch left as it was given",
    )


@pytest.mark.parametrize(
    ("name", "epsilon"), [("bert", 0.5), ("gpt2", 0.5), ("llama", 0.1)], ids=["bert", "gpt2", "llama"]
)
def test_the_step_uses_the_clean_and_the_adversarial_gradients_together(kata, name, epsilon):
    model, optimizer, batch = setup(name)
    run(kata, model, optimizer, batch, epsilon)


@pytest.mark.parametrize("name", ["bert", "gpt2"])
def test_gradients_of_an_earlier_step_do_not_leak_in(kata, name):
    model, optimizer, batch = setup(name, stale=True)
    run(kata, model, optimizer, batch, 1)  # an int is a finite number >= 0 too


@pytest.mark.parametrize("name", ["bert", "gpt2"])
def test_epsilon_zero_is_a_step_on_the_clean_gradient_twice(kata, name):
    model, optimizer, batch = setup(name)
    run(kata, model, optimizer, batch, 0.0)


def test_no_perturbation_when_the_embedding_gradient_is_zero(kata):
    model, optimizer, batch = setup("bert", dead_head=True)
    run(kata, model, optimizer, batch, 0.5)


def test_no_perturbation_when_the_embeddings_are_frozen(kata):
    model, optimizer, batch = setup("bert", frozen=True)
    run(kata, model, optimizer, batch, 0.5)


@pytest.mark.parametrize("bad", [math.inf, math.nan], ids=["inf", "nan"])
def test_no_perturbation_when_the_embedding_gradient_is_not_finite(kata, bad):
    model, optimizer, batch = setup("bert")
    token = int(batch["input_ids"][0, 1])

    def overflow(grad: torch.Tensor) -> torch.Tensor:  # as a gradient that overflowed would be
        grad = grad.clone()
        grad[token, 0] = bad
        return grad

    run(kata, model, optimizer, batch, 0.5, hook=overflow)


@pytest.mark.parametrize(
    ("epsilon", "labels"),
    [(-0.1, True), (math.nan, True), (math.inf, True), (1.0, False)],
    ids=["epsilon -0.1", "epsilon nan", "epsilon inf", "no labels"],
)
def test_bad_input_raises_value_error_before_any_change(kata, epsilon, labels):
    model, optimizer, batch = setup("bert", stale=True)
    if not labels:
        del batch["labels"]
    before = [p.detach().clone() for p in model.parameters()]
    because = (
        "the batch has no labels, so there is no loss"
        if not labels
        else (f"epsilon={epsilon} is not a finite number >= 0")
    )
    expect_raises(kata, ValueError, model, optimizer, batch, epsilon, because=because)
    unchanged = all(torch.equal(p, b) for p, b in zip(model.parameters(), before, strict=True))
    grads_kept = all(p.grad is not None and bool((p.grad == 0.25).all()) for p in model.parameters())
    expect(
        unchanged and grads_kept and not any(m.training for m in model.modules()),
        kata,
        got=f"weights unchanged: {unchanged}, gradients kept: {grads_kept}, training={model.training}",
        expected="nothing changed for a refused call",
        tip="check epsilon and the batch first, before model.train() and zero_grad().",
    )
