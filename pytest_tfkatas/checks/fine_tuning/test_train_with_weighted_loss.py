"""Hidden checks: train_with_weighted_loss."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F
from transformers import Trainer

from pytest_tfkatas.checks.fine_tuning.helpers import (
    changed_parameters,
    expect_cpu_quiet_settings,
    logged_losses,
    sentiment_dataset,
    snapshot,
    texts,
)
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: Imbalanced on purpose: 6 examples of class 0, 2 of class 1.
LABELS = [0, 0, 1, 0, 0, 0, 1, 0]
#: Without dropout, one training step's loss can be recomputed exactly.
NO_DROPOUT = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}


def logits_of(model, tokenizer, lines) -> torch.Tensor:
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(**tokenizer(line, return_tensors="pt")).logits for line in lines])
    model.train(was_training)
    return logits


def losses(logits, labels, weights) -> dict[str, float]:
    """The weighted loss, and the wrong ones that a mistake would give instead."""
    target = torch.tensor(labels)
    weight = torch.tensor([float(w) for w in weights])
    per_example = F.cross_entropy(logits, target, reduction="none")
    return {
        "weighted": float(F.cross_entropy(logits, target, weight=weight)),
        "unweighted": float(per_example.mean()),
        "over examples": float((weight[target] * per_example).sum() / len(labels)),
    }


def loss_tip(value: float, candidates: dict[str, float]) -> str:
    if math.isclose(value, candidates["unweighted"], rel_tol=1e-4):
        return (
            "that is the plain cross-entropy: the class weights never reached the loss. Pass "
            "compute_loss_func=fn to the Trainer (called as fn(outputs, labels, num_items_in_batch=...)) "
            "or override compute_loss(self, model, inputs, return_outputs=False, num_items_in_batch=None)."
        )
    if math.isclose(value, candidates["over examples"], rel_tol=1e-4):
        return (
            "that divides Σ w[y]·CE by the number of examples; F.cross_entropy(weight=...) divides by "
            "the sum of the targets' weights, Σ w[y]."
        )
    return (
        "compute F.cross_entropy(outputs.logits, labels, weight=...) with the weights as a float tensor "
        "on the logits' device (integer weights make an integer tensor, which cross_entropy refuses)."
    )


@pytest.mark.parametrize(
    "weights",
    [[1.0, 4.0], [3.0, 0.5], (2, 1), [0.0, 0.5]],
    ids=["rare class x4", "common class x6", "integer weights in a tuple", "a weight of 0, a sum below 1"],
)
def test_the_logged_loss_is_the_class_weighted_cross_entropy(kata, tiny_bert, tmp_path, weights):
    model, tokenizer = tiny_bert.load_model(**NO_DROPOUT), tiny_bert.load_tokenizer()
    # One step on one batch that holds the whole data set: its loss is the loss of every example
    # under the starting weights, whatever order the examples come in.
    candidates = losses(logits_of(model, tokenizer, texts(len(LABELS))), LABELS, weights)
    trainer = kata(
        model,
        tokenizer,
        sentiment_dataset(LABELS),
        weights,
        tmp_path,
        max_steps=1,
        batch_size=len(LABELS),
    )
    expect(isinstance(trainer, Trainer), kata, got=describe(trainer), expected="the Trainer that trained")
    logged = logged_losses(trainer)
    expect(
        len(logged) == 1,
        kata,
        got=f"training losses logged: {logged}",
        expected="the loss of the one training step, logged at step 1",
        tip="TrainingArguments(logging_steps=1, max_steps=max_steps, "
        "per_device_train_batch_size=batch_size).",
    )
    value = logged[0][1]
    expect(
        math.isclose(value, candidates["weighted"], rel_tol=1e-4),
        kata,
        got=f"a training loss of {value:.6f}",
        expected=f"{candidates['weighted']:.6f} = F.cross_entropy(logits, labels, weight={weights})",
        tip=loss_tip(value, candidates),
    )


def test_training_updates_the_model_and_logs_every_step(kata, tiny_bert, tmp_path):
    model = tiny_bert.load_model()
    before = snapshot(model)
    trainer = kata(
        model,
        tiny_bert.load_tokenizer(),
        sentiment_dataset(LABELS * 2),
        [1.0, 3.0],
        tmp_path,
        max_steps=3,
        batch_size=4,
        learning_rate=1e-3,
    )
    expect(isinstance(trainer, Trainer), kata, got=describe(trainer), expected="the Trainer that trained")
    changed = changed_parameters(model, before)
    expect(
        len(changed) > len(before) // 2,
        kata,
        got=f"{len(changed)} of the model's {len(before)} parameter tensors changed",
        expected="a trained model: nearly every parameter tensor of the model passed in has changed",
        tip="call trainer.train() on a Trainer built with the model you were given.",
    )
    steps = [step for step, _ in logged_losses(trainer)]
    expect(
        steps == [1, 2, 3],
        kata,
        got=f"training losses logged at steps {steps}",
        expected="a training loss logged at steps [1, 2, 3]",
        tip="TrainingArguments(logging_steps=1, max_steps=max_steps).",
    )
    expect_steps_of(kata, trainer, examples=16, batch_size=4, learning_rate=1e-3)
    expect_cpu_quiet_settings(kata, trainer, tmp_path)
    checkpoints = sorted(path.name for path in tmp_path.glob("checkpoint-*"))
    expect(
        not checkpoints,
        kata,
        got=f"checkpoint folders {checkpoints} in output_dir",
        expected="no checkpoints, as in fine_tune",
        tip='TrainingArguments(save_strategy="no").',
    )


def expect_steps_of(kata, trainer, *, examples: int, batch_size: int, learning_rate: float) -> None:
    """The first step's epoch gives the batch size; the logged rates give the peak learning rate."""
    entries = [entry for entry in trainer.state.log_history if "loss" in entry]
    epoch = entries[0].get("epoch") if entries else None
    expected_epoch = 1 / math.ceil(examples / batch_size)
    rates = [entry.get("learning_rate", 0.0) for entry in entries]
    peak = max(rates, default=0.0)
    expect(
        epoch is not None
        and math.isclose(epoch, expected_epoch, rel_tol=1e-6)
        and learning_rate / 2 <= peak <= learning_rate * (1 + 1e-6),
        kata,
        got=f"epoch {epoch} after the first step, a peak learning rate of {peak}",
        expected=f"epoch {expected_epoch:.4g} after the first step (batches of {batch_size} out of "
        f"{examples} examples) and a peak learning rate of {learning_rate:g}",
        tip="TrainingArguments(per_device_train_batch_size=batch_size, learning_rate=learning_rate).",
    )


def test_the_defaults_are_ten_steps_of_eight_at_5e_5_and_long_texts_are_cut(kata, tiny_bert, tmp_path):
    # 17 examples: 3 batches of 8 per epoch (2 of 9); one text is longer than the model's positions.
    labels = [*LABELS, *LABELS, 1]
    data = sentiment_dataset(labels)
    data = data.map(
        lambda row, i: {"text": " ".join([row["text"]] * 40) if i == 3 else row["text"]}, with_indices=True
    )
    tokenizer = tiny_bert.load_tokenizer()
    assert len(tokenizer(data[3]["text"])["input_ids"]) > tokenizer.model_max_length, (
        "the text must be over-long"
    )
    trainer = kata(tiny_bert.load_model(), tokenizer, data, [1.0, 2.0], tmp_path)
    expect(isinstance(trainer, Trainer), kata, got=describe(trainer), expected="the Trainer that trained")
    expect(
        trainer.state.global_step == 10,
        kata,
        got=f"{trainer.state.global_step} optimizer steps",
        expected="the default of 10 steps",
        tip="keep the signature's defaults: max_steps=10, batch_size=8, learning_rate=5e-5.",
    )
    expect_steps_of(kata, trainer, examples=17, batch_size=8, learning_rate=5e-5)


def test_a_bfloat16_model_trains_with_the_weights_in_its_dtype(kata, tiny_bert, tmp_path):
    weights = [1.0, 3.0]
    model = tiny_bert.load_model(dtype=torch.bfloat16, **NO_DROPOUT)
    tokenizer = tiny_bert.load_tokenizer()
    candidates = losses(logits_of(model, tokenizer, texts(len(LABELS))).float(), LABELS, weights)
    trainer = kata(model, tokenizer, sentiment_dataset(LABELS), weights, tmp_path, max_steps=1, batch_size=8)
    logged = logged_losses(trainer) if isinstance(trainer, Trainer) else []
    value = logged[0][1] if logged else None
    expect(
        value is not None and math.isclose(value, candidates["weighted"], rel_tol=3e-2),
        kata,
        got=f"a training loss of {value}" if logged else describe(trainer),
        expected=f"about {candidates['weighted']:.4f}, the weighted cross-entropy of a bfloat16 model",
        tip="move the weights to the logits' device and dtype (weights.to(logits.device, logits.dtype)): "
        "F.cross_entropy refuses float32 weights for bfloat16 logits.",
    )


def test_the_trainer_computes_the_weighted_loss_on_any_batch(kata, tiny_bert, tmp_path):
    weights = [0.5, 2.0]
    variant = tiny_bert.variant(4)
    model, tokenizer = variant.load_model(), variant.load_tokenizer()
    trainer = kata(model, tokenizer, sentiment_dataset(LABELS), weights, tmp_path, max_steps=1, batch_size=4)
    expect(isinstance(trainer, Trainer), kata, got=describe(trainer), expected="the Trainer that trained")
    labels = [1, 0, 0, 1, 0, 0]
    lines = texts(len(labels), start=50)
    candidates = losses(logits_of(trainer.model, tokenizer, lines), labels, weights)
    inputs = dict(tokenizer(lines, padding=True, return_tensors="pt"))
    inputs["labels"] = torch.tensor(labels)
    trainer.model.eval()
    try:
        with torch.no_grad():
            loss = trainer.compute_loss(trainer.model, inputs)
    except Exception as error:
        fail_call(
            kata,
            got=f"trainer.compute_loss(model, inputs) raised {type(error).__name__}: {error}",
            expected="the class-weighted cross-entropy of the batch",
            tip="outside training (in evaluation, or called directly) num_items_in_batch is None: "
            "F.cross_entropy(weight=...) needs no item count.",
        )
    value = float(loss)
    expect(
        math.isclose(value, candidates["weighted"], rel_tol=1e-4),
        kata,
        got=f"trainer.compute_loss(model, inputs) = {value:.6f} on a new batch after training",
        expected=f"{candidates['weighted']:.6f} = F.cross_entropy(logits, labels, weight={weights})",
        tip=loss_tip(value, candidates),
    )


@pytest.mark.parametrize(
    ("weights", "because"),
    [
        ([1.0, 2.0, 3.0], "the model has 2 classes, so it needs 2 weights, not 3"),
        ([1.0], "the model has 2 classes, so it needs 2 weights, not 1"),
        ([1.0, -2.0], "a negative weight would reward mistakes on that class"),
        ([0.0, 0.0], "weights that sum to 0 leave nothing to learn from"),
    ],
    ids=["three weights", "one weight", "negative weight", "all weights 0"],
)
def test_bad_weights_raise_value_error(kata, tiny_bert, tmp_path, weights, because):
    model = tiny_bert.load_model()
    before = snapshot(model)
    expect_raises(
        kata,
        ValueError,
        model,
        tiny_bert.load_tokenizer(),
        sentiment_dataset(LABELS),
        weights,
        tmp_path,
        max_steps=1,
        because=because,
    )
    expect(
        not changed_parameters(model, before),
        kata,
        got="a model whose parameters changed",
        expected="the model left untouched when the weights are refused",
        tip="check the weights before training.",
    )
