"""Hidden checks: evaluate_model."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from pytest_tfkatas.checks.fine_tuning.helpers import (
    changed_parameters,
    expect_cpu_quiet_settings,
    sentiment_dataset,
    snapshot,
    texts,
    trainers_built,
)
from pytest_tfkatas.harness import describe, expect, expect_raises


def split_model(tiny_model, lines):
    """The model with its bias moved so that it predicts both classes on ``lines``.

    A tiny random classifier tends to give every input the same class, which would make the F1
    of one class 0 whatever the code does; centring the logit gap makes every metric informative.
    """
    model, tokenizer = tiny_model.load_model(), tiny_model.load_tokenizer()
    with torch.no_grad():
        gaps = torch.cat([model(**tokenizer(line, return_tensors="pt")).logits for line in lines])
        gaps = gaps[:, 1] - gaps[:, 0]
        model.classifier.bias[1] -= gaps.median() + 1e-3
    return model, tokenizer


def by_hand(model, tokenizer, lines, labels) -> dict[str, float]:
    """The metrics, one example at a time, in eval mode: no padding, no batching, no dropout."""
    was_training = model.training
    model.eval()
    with torch.no_grad():
        logits = torch.cat([model(**tokenizer(line, return_tensors="pt")).logits for line in lines])
    model.train(was_training)
    target = torch.tensor(labels)
    predicted = logits.argmax(dim=-1)
    f1s = []
    for label in range(model.config.num_labels):
        tp = int(((predicted == label) & (target == label)).sum())
        fp = int(((predicted == label) & (target != label)).sum())
        fn = int(((predicted != label) & (target == label)).sum())
        f1s.append(2 * tp / (2 * tp + fp + fn) if tp + fp + fn else 0.0)
    return {
        "eval_loss": float(F.cross_entropy(logits, target)),
        "eval_accuracy": float((predicted == target).float().mean()),
        "eval_f1": sum(f1s) / len(f1s),
    }


TIPS = {
    "eval_loss": "let the Trainer compute it: evaluate() averages the model's loss over the examples, "
    "in eval mode (no dropout). Averaging per-batch means over-weights a smaller last batch.",
    "eval_accuracy": "in compute_metrics, predictions = np.argmax(prediction.predictions, axis=-1), then "
    "compare with prediction.label_ids.",
    "eval_f1": "macro F1 is the plain mean of each class's F1 = 2·TP / (2·TP + FP + FN), over every class; "
    "not the F1 of class 1 alone, and not weighted by class size.",
}


def check_metrics(kata, metrics, expected, tips=TIPS) -> None:
    expect(
        isinstance(metrics, dict),
        kata,
        got=describe(metrics),
        expected="a dict of metrics, as trainer.evaluate() returns",
    )
    missing = [key for key in expected if key not in metrics]
    expect(
        not missing,
        kata,
        got=f"metrics with the keys {sorted(metrics)}",
        expected=f"the keys {list(expected)} among them",
        tip="pass compute_metrics=... to the Trainer, returning {'accuracy': ..., 'f1': ...}: "
        "trainer.evaluate() adds the eval_ prefix to every key and computes eval_loss itself "
        "(trainer.predict() would prefix them test_).",
    )
    for key, value in expected.items():
        got = metrics[key]
        expect(
            isinstance(got, (int, float)) and math.isclose(got, value, rel_tol=1e-4, abs_tol=1e-5),
            kata,
            got=f"{key}={got!r}",
            expected=f"{key}={value:.6g}, computed example by example",
            tip=tips[key],
        )


@pytest.mark.parametrize(
    ("variant", "labels", "batch_size"),
    [(1, [1, 0, 1, 1, 0, 1, 1, 1, 0, 1], 4), (2, [0, 0, 1, 0, 0, 1, 0], 3)],
    ids=["10 examples in batches of 4", "7 examples in batches of 3"],
)
def test_the_metrics_match_a_computation_by_hand(kata, tiny_bert, tmp_path, variant, labels, batch_size):
    lines = texts(len(labels), start=20)
    model, tokenizer = split_model(tiny_bert.variant(variant), lines)
    expected = by_hand(model, tokenizer, lines, labels)
    metrics = kata(model, tokenizer, sentiment_dataset(labels, start=20), tmp_path, batch_size=batch_size)
    check_metrics(kata, metrics, expected)


def test_a_cased_tokenizer_reads_the_texts_as_they_are(kata, tiny_bert_cased, tmp_path):
    """A cased WordPiece tokenizer whose [PAD] is not id 0: the texts go to it unchanged (no
    lower-casing, no stripping), and each batch is padded with the tokenizer's own pad token."""
    labels = [1, 0, 0, 1, 1, 0, 1, 0, 1, 1, 0]
    lines = texts(len(labels), start=50)
    lines[3] = "  " + lines[3].upper() + "  "
    model, tokenizer = split_model(tiny_bert_cased, lines)
    expected = by_hand(model, tokenizer, lines, labels)
    from datasets import Dataset

    data = Dataset.from_dict({"text": lines, "label": labels})
    metrics = kata(model, tokenizer, data, tmp_path, batch_size=4)
    as_given = (
        "tokenize the texts as they are (this tokenizer keeps case: lower() or strip() change the ids), "
        "and let the Trainer pad and average: " + TIPS["eval_loss"]
    )
    check_metrics(kata, metrics, expected, tips={**TIPS, "eval_loss": as_given, "eval_accuracy": as_given})


@pytest.mark.parametrize(
    "batch_size", [None, 1, 3], ids=["default batch size", "batch size 1", "batch size 3"]
)
def test_examples_go_through_in_batches_of_batch_size_on_the_cpu_quietly(
    kata, tiny_bert, tmp_path, batch_size
):
    """17 examples, one of them longer than the model's 128 positions (it must be truncated); the
    model's forward passes are recorded. A Trainer, if one is built, must carry the contract's
    settings; a hand-written loop is judged by its batches and metrics alone."""
    labels = [1, 0, 1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 0, 1, 1, 0]
    lines = texts(len(labels), start=30)
    lines[4] = " ".join(["the plot of this film was long but good"] * 30)
    model, tokenizer = split_model(tiny_bert, lines[:1])
    assert len(tokenizer(lines[4])["input_ids"]) > tokenizer.model_max_length, (
        "the long text must be too long"
    )
    sizes: list[int] = []

    def record(module, args, kwargs):
        ids = kwargs.get("input_ids", args[0] if args else None)
        sizes.append(int(ids.shape[0]) if ids is not None else -1)

    from datasets import Dataset

    data = Dataset.from_dict({"text": lines, "label": labels})
    hook = model.register_forward_pre_hook(record, with_kwargs=True)
    settings = {} if batch_size is None else {"batch_size": batch_size}
    try:
        with trainers_built() as trainers:
            metrics = kata(model, tokenizer, data, tmp_path / "eval-run", **settings)
    finally:
        hook.remove()
    size = batch_size or 8
    expected = [size] * (len(labels) // size) + ([len(labels) % size] if len(labels) % size else [])
    expect(
        sorted(sizes) == sorted(expected),
        kata,
        got=f"forward passes on batches of {sizes}",
        expected=f"batches of {expected}: {len(labels)} examples in batches of {size}"
        + (" (the default)" if batch_size is None else ""),
        tip="TrainingArguments(per_device_eval_batch_size=batch_size); the signature's default is 8.",
    )
    expect(isinstance(metrics, dict), kata, got=describe(metrics), expected="a dict of metrics")
    for trainer in trainers:
        expect_cpu_quiet_settings(kata, trainer, tmp_path / "eval-run")


def test_a_class_that_never_occurs_counts_zero_in_the_macro_f1(kata, tiny_bert, tmp_path):
    """A three-class model whose third class is in neither the labels nor the predictions: the
    macro F1 is still the mean over all three classes (scikit-learn's f1_score without labels=
    would average over the two it sees)."""
    from transformers import AutoModelForSequenceClassification

    labels = [1, 0, 0, 1, 1, 0, 1, 0, 1]
    lines = texts(len(labels), start=60)
    torch.manual_seed(0)
    model = AutoModelForSequenceClassification.from_pretrained(
        tiny_bert.path, num_labels=3, ignore_mismatched_sizes=True
    )
    tokenizer = tiny_bert.load_tokenizer()
    model.eval()
    with torch.no_grad():
        model.classifier.bias[2] = -30.0  # never predicted
        gaps = torch.cat([model(**tokenizer(line, return_tensors="pt")).logits for line in lines])
        gaps = gaps[:, 1] - gaps[:, 0]
        model.classifier.bias[1] -= gaps.median() + 1e-3
    expected = by_hand(model, tokenizer, lines, labels)
    metrics = kata(model, tokenizer, sentiment_dataset(labels, start=60), tmp_path, batch_size=4)
    check_metrics(
        kata,
        metrics,
        expected,
        tips={
            **TIPS,
            "eval_f1": "the mean runs over every class of the model, 0 .. num_labels - 1 "
            "(model.config.num_labels), including a class that never occurs, which counts 0.",
        },
    )


def test_a_model_in_training_mode_is_evaluated_without_dropout_and_left_unchanged(kata, tiny_bert, tmp_path):
    labels = [0, 1, 1, 0, 1, 0, 0, 1]
    lines = texts(len(labels), start=40)
    model, tokenizer = split_model(tiny_bert.variant(3), lines)
    expected = by_hand(model, tokenizer, lines, labels)
    model.train()  # as it would be straight after training
    before = snapshot(model)
    metrics = kata(model, tokenizer, sentiment_dataset(labels, start=40), tmp_path, batch_size=8)
    dropout = "dropout is on in training mode: evaluate in eval mode (trainer.evaluate() calls model.eval())."
    check_metrics(kata, metrics, expected, tips={**TIPS, "eval_loss": dropout, "eval_accuracy": dropout})
    changed = changed_parameters(model, before)
    expect(
        not changed,
        kata,
        got=f"{len(changed)} parameter tensors changed, e.g. {changed[:2]}",
        expected="the model evaluated as it is, not trained",
        tip="call trainer.evaluate(), not trainer.train().",
    )


@pytest.mark.parametrize(
    ("columns", "match"),
    [({"text": ["a good film", "a bad film"]}, "label"), ({"sentence": ["fine"], "label": [1]}, "text")],
    ids=["no label column", "no text column"],
)
def test_a_missing_column_raises_value_error_naming_it(kata, tiny_bert, tmp_path, columns, match):
    from datasets import Dataset

    expect_raises(
        kata,
        ValueError,
        tiny_bert.load_model(),
        tiny_bert.load_tokenizer(),
        Dataset.from_dict(columns),
        tmp_path,
        because=f"the data set has no {match!r} column to evaluate with",
        match=match,
    )


def test_an_empty_data_set_or_batch_raises_value_error(kata, tiny_bert, tmp_path):
    from datasets import Dataset

    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    empty = Dataset.from_dict({"text": [], "label": []})
    expect_raises(kata, ValueError, model, tokenizer, empty, tmp_path, because="there is nothing to evaluate")
    expect_raises(
        kata,
        ValueError,
        model,
        tokenizer,
        sentiment_dataset([0, 1]),
        tmp_path,
        batch_size=0,
        because="a batch of 0 examples evaluates nothing",
    )
