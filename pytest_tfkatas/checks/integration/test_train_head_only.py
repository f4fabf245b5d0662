"""Hidden checks: train_head_only."""

from __future__ import annotations

import copy
import math

import pytest
import torch
from transformers import AutoConfig, AutoModelForSequenceClassification, DistilBertConfig

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises

TEXTS = ["The cat sat on the mat.", "A dog barked at the old man.", "Rain fell all day long."]


def classifier(name: str):
    """A sequence classifier and a batch with labels: the zoo's BERT one (dropout off, so that the
    steps can be replayed exactly), a Llama one with three labels built from the zoo's config, or a
    small DistilBERT on BERT's vocabulary, whose head has two layers (pre_classifier, classifier)."""
    if name == "distilbert":
        tokenizer = zoo.get("bert").load_tokenizer()
        config = DistilBertConfig(
            vocab_size=len(tokenizer), dim=32, n_layers=1, n_heads=2, hidden_dim=37, dropout=0.0,
            attention_dropout=0.0, seq_classif_dropout=0.0, pad_token_id=tokenizer.pad_token_id,
        )  # fmt: skip
        torch.manual_seed(0)
        model = AutoModelForSequenceClassification.from_config(config).eval()
        batch = dict(tokenizer(TEXTS, padding=True, return_token_type_ids=False, return_tensors="pt"))
        batch["labels"] = torch.tensor([0, 1, 1])
        return model, batch
    tiny = zoo.get(name)
    if name == "bert":
        model = tiny.load_model(hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0).eval()
        labels = [1, 0, 1]
    else:
        config = AutoConfig.from_pretrained(tiny.path, num_labels=3)
        model = AutoModelForSequenceClassification.from_config(config).eval()
        labels = [2, 0, 1]
    batch = dict(tiny.load_tokenizer()(TEXTS, padding=True, return_tensors="pt"))
    batch["labels"] = torch.tensor(labels)
    return model, batch


def head_names(model) -> set[str]:
    """The head's parameters: every one whose name is not under the base model's prefix."""
    return {name for name, _ in model.named_parameters() if name.split(".")[0] != model.base_model_prefix}


def replay(model, batch, steps: int, learning_rate: float) -> list[float]:
    """The head trained by hand on a copy, the base frozen, as the contract says."""
    head = [p for name, p in model.named_parameters() if name in head_names(model)]
    for name, parameter in model.named_parameters():
        parameter.requires_grad_(name in head_names(model))
    optimizer = torch.optim.AdamW(head, lr=learning_rate)
    model.train()
    losses = []
    for _ in range(steps):
        optimizer.zero_grad()
        loss = model(**batch).loss
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses


def stale_gradients(model) -> None:
    """What an earlier training run could have left in .grad."""
    for parameter in model.parameters():
        parameter.grad = torch.full_like(parameter, 0.25)


@pytest.mark.parametrize(
    ("name", "steps", "learning_rate"),
    [("bert", 3, 1e-2), ("llama", 1, 5e-2), ("distilbert", 2, 1e-2)],
    ids=["bert 3 steps", "llama 1 step", "distilbert 2 steps"],
)
def test_only_the_head_learns_and_the_base_stays_frozen_and_identical(kata, name, steps, learning_rate):
    model, batch = classifier(name)
    stale_gradients(model)
    expected_model = copy.deepcopy(model)
    expected_losses = replay(expected_model, batch, steps, learning_rate)
    before = {key: value.clone() for key, value in model.state_dict().items()}
    given = {key: value.clone() for key, value in batch.items()}
    modes: list[bool] = []
    model.register_forward_pre_hook(
        lambda module, args: modes.append(all(m.training for m in module.modules()))
    )
    losses = kata(model, batch, steps, learning_rate)
    expect(
        isinstance(losses, list)
        and len(losses) == steps
        and all(type(loss) is float for loss in losses)
        and all(
            math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6)
            for a, b in zip(losses, expected_losses, strict=True)
        ),
        kata,
        got=describe(losses),
        expected=f"{expected_losses}: the loss of each of the {steps} steps, before its update, as floats",
    )
    head = head_names(model)
    state = model.state_dict()
    changed = sorted(key for key in before if key not in head and not torch.equal(state[key], before[key]))
    expect(
        not changed,
        kata,
        got=f"base weights changed: {changed[:4]}{' ...' if len(changed) > 4 else ''}",
        expected="every weight of model.base_model bit-for-bit as it was: only the head learns",
        tip="freeze model.base_model (its requires_grad_(False)) and give the optimizer the head's "
        "parameters only.",
    )
    expected_state = expected_model.state_dict()
    off = max(float((state[key] - expected_state[key]).abs().max()) for key in head)
    unmoved = [key for key in sorted(head) if torch.equal(state[key], before[key])]
    expect(
        off < 1e-6,
        kata,
        got=f"head weights {off:.2e} away from the head trained by hand"
        + (f" ({unmoved} unchanged)" if unmoved else ""),
        expected=f"the head ({sorted(head)}) trained by AdamW(lr={learning_rate}) for {steps} steps, "
        "clearing the gradients before each step",
        tip="the head is whatever is not in model.base_model: its name differs between architectures "
        "(BERT's classifier, Llama's score, DistilBERT's pre_classifier and classifier)."
        if unmoved
        else None,
    )
    frozen = [key for key, p in model.named_parameters() if key not in head and p.requires_grad]
    trainable = [key for key, p in model.named_parameters() if key in head and not p.requires_grad]
    expect(
        not frozen and not trainable,
        kata,
        got=f"requires_grad on in the base for {frozen[:3]}, off in the head for {trainable}",
        expected="the base left frozen (requires_grad False for each of its parameters), the head trainable",
        tip="an optimizer over the head alone keeps the base unchanged, but the base still computes "
        "gradients: freeze it with model.base_model.requires_grad_(False)."
        if frozen
        else None,
    )
    expect(
        modes
        and all(modes)
        and all(m.training for m in model.modules())
        and all(torch.equal(batch[key], given[key]) for key in given)
        and batch.keys() == given.keys(),
        kata,
        got=f"model.training={model.training}, batch keys {sorted(batch)}",
        expected="every step in training mode, the model left in training mode, the batch as it was",
    )


def test_a_head_that_was_frozen_is_made_trainable_with_the_default_steps_and_rate(kata):
    model, batch = classifier("bert")
    model.requires_grad_(False)  # everything frozen, say by an earlier call on the base
    expected_model = copy.deepcopy(model)
    replay(expected_model, batch, 3, 1e-2)
    losses = kata(model, batch)  # 3 steps at 1e-2 by default
    head = head_names(model)
    off = max(float((model.state_dict()[key] - expected_model.state_dict()[key]).abs().max()) for key in head)
    expect(
        off < 1e-6 and all(p.requires_grad for key, p in model.named_parameters() if key in head),
        kata,
        got=f"losses {losses}, head weights {off:.2e} away from the head trained by hand",
        expected="the head made trainable (requires_grad True) and trained (3 steps at 1e-2 by default), "
        "even though it was frozen",
        tip="switch requires_grad on for the head's parameters: only freezing the base leaves a frozen "
        "head frozen.",
    )


@pytest.mark.parametrize(
    ("steps", "learning_rate", "drop_labels", "why"),
    [
        (0, 1e-2, False, "at least one step is needed"),
        (-1, 1e-2, False, "at least one step is needed"),
        (3, 0.0, False, "a learning rate of 0 learns nothing"),
        (3, -1e-2, False, "a negative learning rate climbs the loss"),
        (3, float("nan"), False, "NaN is not a learning rate"),
        (3, float("inf"), False, "an infinite learning rate is not a finite number"),
        (3, 1e-2, True, "without labels there is no loss to train on"),
    ],
    ids=["no steps", "negative steps", "zero rate", "negative rate", "NaN rate", "inf rate", "no labels"],
)
def test_bad_arguments_are_refused_before_anything_changes(kata, steps, learning_rate, drop_labels, why):
    model, batch = classifier("llama")
    if drop_labels:
        del batch["labels"]
    before = copy.deepcopy(model.state_dict())
    expect_raises(kata, ValueError, model, batch, steps, learning_rate, because=why)
    expect(
        all(p.requires_grad for p in model.parameters())
        and not model.training
        and all(torch.equal(before[key], value) for key, value in model.state_dict().items()),
        kata,
        got=f"requires_grad, mode (training={model.training}) or weights changed",
        expected="nothing changed by a refused call: check the arguments before freezing anything",
    )
