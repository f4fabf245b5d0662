"""Hidden checks: reweight_by_label."""

from __future__ import annotations

import copy
import math

import pytest
import torch
import torch.nn.functional as F
from datasets import Dataset
from transformers import Trainer, TrainingArguments

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import describe, expect, expect_raises, fail

TOLERANCE = 1e-5
#: Dropout off: the checks compare losses and updates with their own computation.
NO_DROPOUT = {"hidden_dropout_prob": 0.0, "attention_probs_dropout_prob": 0.0}


def dataset_of(tokenizer, labels: list[int]) -> Dataset:
    texts = zoo.corpus()[: len(labels)]
    encoded = tokenizer(texts, padding="max_length", truncation=True, max_length=16)
    return Dataset.from_dict(
        {"input_ids": encoded["input_ids"], "attention_mask": encoded["attention_mask"], "labels": labels}
    )


def arguments(tmp_path, **overrides) -> TrainingArguments:
    settings = dict(
        output_dir=str(tmp_path / "out"),
        use_cpu=True,
        per_device_train_batch_size=8,
        max_steps=1,
        save_strategy="no",
        logging_strategy="no",
        report_to="none",
        disable_tqdm=True,
    )
    settings.update(overrides)
    return TrainingArguments(**settings)


def balanced_weights(labels: list[int], num_labels: int) -> torch.Tensor:
    """n / (k * n_c), written out."""
    n = len(labels)
    return torch.tensor([n / (num_labels * labels.count(c)) for c in range(num_labels)])


def expected_loss(model, batch, weights, divide_by=None) -> float:
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    labels = batch["labels"]
    per_example = F.cross_entropy(logits, labels, reduction="none")
    total = (weights[labels] * per_example).sum()
    return float(total / (divide_by or len(labels)))


def plain_loss(model, batch) -> float:
    with torch.no_grad():
        logits = model(input_ids=batch["input_ids"], attention_mask=batch["attention_mask"]).logits
    return float(F.cross_entropy(logits, batch["labels"]))


def trainer_from(kata, *args) -> Trainer:
    trainer = kata(*args)
    expect(
        isinstance(trainer, Trainer),
        kata,
        got=describe(trainer),
        expected="a transformers.Trainer, ready to train",
        tip="return Trainer(model=model, args=args, train_dataset=train_dataset, compute_loss_func=...).",
    )
    return trainer


def then(kata, action: str, function, expected: str, tip: str | None = None):
    """Run ``function`` on what the kata returned; an error there is the learner's, worded so."""
    try:
        return function()
    except Exception as error:
        lines = [f"Called {kata.last_call}, then {action}.", f"It raised {type(error).__name__}: {error}"]
        lines.append(f"Expected: {expected}")
        if tip:
            lines.append(f"Tip: {tip}")
        fail("\n".join(lines))


def batches_of(kata, trainer) -> list[dict]:
    return then(
        kata,
        "trainer.get_train_dataloader()",
        lambda: [dict(batch) for batch in trainer.get_train_dataloader()],
        "batches of the training set, as Trainer.train() would draw them",
    )


def loss_of(kata, trainer, model, batch) -> float:
    # compute_loss pops the labels from the dict it is given: hand it a copy.
    with torch.no_grad():
        loss = then(
            kata,
            f"trainer.compute_loss(model, batch) on a batch of its dataloader (keys {sorted(batch)})",
            lambda: trainer.compute_loss(model, dict(batch)),
            "the class-weighted cross-entropy of the batch",
            tip=(
                "Trainer drops dataset columns the model's forward() does not take (remove_unused_columns): "
                "keep the class weights out of the batch, e.g. in a compute_loss_func."
            ),
        )
    return float(loss)


def changed_settings(now: dict, before: dict) -> list[str]:
    return [
        f"{key}={now.get(key)!r} (was {before.get(key)!r})" for key in before if now.get(key) != before[key]
    ]


def expect_weighted_losses(kata, trainer, model, labels: list[int], num_labels: int) -> None:
    __tracebackhide__ = True
    weights = balanced_weights(labels, num_labels)
    for batch in batches_of(kata, trainer):
        got = loss_of(kata, trainer, model, batch)
        expected = expected_loss(model, batch, weights)
        unweighted = plain_loss(model, batch)
        expect(
            math.isclose(got, expected, rel_tol=TOLERANCE),
            kata,
            got=f"a training loss of {got:.5f} on a batch with labels {batch['labels'].tolist()}",
            expected=(
                f"{expected:.5f}: the mean of w[label] * cross-entropy, with class weights "
                f"w = n / (num_labels * n_c) = {[round(w, 4) for w in weights.tolist()]}"
            ),
            tip=(
                f"that is the unweighted loss ({unweighted:.5f}): the weights never reach it. "
                "Pass compute_loss_func= to the Trainer (or override compute_loss) and weigh each "
                "example's F.cross_entropy(..., reduction='none') by its class weight."
                if math.isclose(got, unweighted, rel_tol=TOLERANCE)
                else "a class's weight is n / (num_labels * count of that class): rare labels weigh more."
            ),
        )


def test_the_loss_weighs_each_class_by_its_inverse_frequency(kata, tiny_bert, tmp_path):
    labels = [0, 0, 0, 0, 0, 0, 1, 1]
    tokenizer = tiny_bert.load_tokenizer()
    model = tiny_bert.load_model(**NO_DROPOUT)
    args = arguments(tmp_path)
    dataset = dataset_of(tokenizer, labels)
    settings, columns, format_before = args.to_dict(), dataset.column_names, dataset.format
    trainer = trainer_from(kata, model, args, dataset)
    expect(
        trainer.model is model,
        kata,
        got=f"a Trainer of {describe(trainer.model)}",
        expected="a Trainer of the model it was given",
    )
    changed = changed_settings(args.to_dict(), settings)
    expect(
        not changed,
        kata,
        got=f"the caller's TrainingArguments changed: {', '.join(changed)}",
        expected="the args it was given left unchanged: the caller may use them again",
        tip="the weights need no setting of the args: apply them in the loss (compute_loss_func).",
    )
    changed = changed_settings(trainer.args.to_dict(), settings)
    expect(
        not changed,
        kata,
        got=f"a Trainer whose args differ from the ones given: {', '.join(changed)}",
        expected="a Trainer that uses the given args as they are",
        tip="the weights need no setting of the args: apply them in the loss (compute_loss_func).",
    )
    expect(
        dataset.column_names == columns and dataset.format == format_before,
        kata,
        got=f"the caller's dataset changed: columns {dataset.column_names}, format {dataset.format}",
        expected=f"the train_dataset left as it was: columns {columns}, format {format_before}",
    )
    expect_weighted_losses(kata, trainer, model, labels, 2)


def test_the_weights_follow_the_models_number_of_labels(kata, tiny_bert_nli, tmp_path):
    labels = [0, 2, 2, 1, 2, 2, 0, 2, 2, 2, 1, 2]
    tokenizer = tiny_bert_nli.load_tokenizer()
    model = tiny_bert_nli.load_model(**NO_DROPOUT)
    trainer = trainer_from(
        kata, model, arguments(tmp_path, per_device_train_batch_size=6), dataset_of(tokenizer, labels)
    )
    expect_weighted_losses(kata, trainer, model, labels, 3)


def test_the_weights_come_from_the_whole_training_set(kata, tiny_bert, tmp_path):
    # 2 negatives among 12 in batches of 4: some batch has none, and its own counts would differ.
    labels = [1, 1, 0, 1, 1, 1, 1, 1, 0, 1, 1, 1]
    tokenizer = tiny_bert.load_tokenizer()
    model = tiny_bert.load_model(**NO_DROPOUT)
    trainer = trainer_from(
        kata, model, arguments(tmp_path, per_device_train_batch_size=4), dataset_of(tokenizer, labels)
    )
    weights = balanced_weights(labels, 2)
    batches = batches_of(kata, trainer)
    expect(
        len(batches) == 3,
        kata,
        got=f"{len(batches)} training batches",
        expected="3 batches of 4 examples (12 examples, per_device_train_batch_size=4)",
        tip="keep every example in train_dataset and use the args you were given.",
    )
    for batch in batches:
        got = loss_of(kata, trainer, model, batch)
        expected = expected_loss(model, batch, weights)
        expect(
            math.isclose(got, expected, rel_tol=TOLERANCE),
            kata,
            got=f"a training loss of {got:.5f} on a batch with labels {batch['labels'].tolist()}",
            expected=(
                f"{expected:.5f}, with the class weights of the whole training set "
                f"{[round(w, 4) for w in weights.tolist()]} (10 positive, 2 negative examples)"
            ),
            tip="count the labels of train_dataset once, before training, not in each batch.",
        )


def test_a_training_step_with_gradient_accumulation_follows_the_weighted_loss(kata, tiny_bert, tmp_path):
    labels = [0, 1, 1, 1, 0, 1, 1, 1]
    tokenizer = tiny_bert.load_tokenizer()
    model = tiny_bert.load_model(**NO_DROPOUT)
    before = copy.deepcopy(model)
    dataset = dataset_of(tokenizer, labels)
    lr = 0.5
    args = arguments(
        tmp_path,
        per_device_train_batch_size=4,
        gradient_accumulation_steps=2,
        optim="sgd",
        learning_rate=lr,
        lr_scheduler_type="constant",
        weight_decay=0.0,
        max_grad_norm=0.0,
    )
    trainer = trainer_from(kata, model, args, dataset)
    then(kata, "trainer.train()", trainer.train, "one training step on the weighted loss")
    # One SGD step on the weighted loss of all 8 examples (2 micro-batches of 4).
    whole = {key: torch.tensor(list(dataset[key])) for key in ("input_ids", "attention_mask", "labels")}
    logits = before(input_ids=whole["input_ids"], attention_mask=whole["attention_mask"]).logits
    weights = balanced_weights(labels, 2)
    loss = (weights[whole["labels"]] * F.cross_entropy(logits, whole["labels"], reduction="none")).mean()
    parameters = dict(before.named_parameters())
    gradients = torch.autograd.grad(loss, list(parameters.values()), allow_unused=True)
    trained = dict(model.named_parameters())
    worst, ratio = 0.0, None
    for (name, start), gradient in zip(parameters.items(), gradients, strict=True):
        if gradient is None:
            continue
        step = trained[name].detach() - start.detach()
        worst = max(worst, float((step + lr * gradient).abs().max()))
        if name == "classifier.bias":
            ratio = float(step.norm() / (lr * gradient).norm())
    expect(
        worst < 1e-5,
        kata,
        got=(
            "after trainer.train() (1 step, gradient_accumulation_steps=2), weights that moved "
            f"{ratio:.2f} times as far as expected"
            if ratio is not None
            else "weights that moved differently"
        ),
        expected="the step of SGD on the weighted loss of the 8 examples (their weighted mean)",
        tip=(
            "with compute_loss_func the Trainer does not divide by the accumulation steps: it passes "
            "num_items_in_batch (examples in the accumulated batch); return the weighted sum divided by it. "
            "A Trainer subclass overriding compute_loss with a batch mean sets loss_is_scaled_for_ga = False."
        ),
    )


@pytest.mark.parametrize(
    ("labels", "because"),
    [
        ([0, 0, 0, 0], "label 1 has no training example, so its weight 1/0 is undefined"),
        ([], "an empty training set has no example of any class"),
        ([0, 1, 0, 0, 0, 0, 0, 0, 0], "a 3-label model's label 2 has no training example"),
        ([0, 1, 2, 1], "label 2 does not exist in a 2-label model"),
        ([0, 1, -1, 1], "label -1 does not exist: labels start at 0"),
    ],
    ids=[
        "a class without examples",
        "no example at all",
        "a class of 3 without examples",
        "a label out of range",
        "a negative label",
    ],
)
def test_labels_that_give_no_weight_raise_value_error(
    kata, tiny_bert, tiny_bert_nli, tmp_path, labels, because
):
    tiny = tiny_bert_nli if "3-label" in because else tiny_bert
    # An empty dataset keeps the integer labels column of a non-empty one.
    dataset = dataset_of(tiny.load_tokenizer(), labels or [0]).select(range(len(labels)))
    expect_raises(kata, ValueError, tiny.load_model(), arguments(tmp_path), dataset, because=because)


@pytest.mark.parametrize("column", ["label", "label_ids"])
def test_a_dataset_without_labels_raises_value_error(kata, tiny_bert, tmp_path, column):
    dataset = dataset_of(tiny_bert.load_tokenizer(), [0, 1, 0, 1]).rename_column("labels", column)
    expect_raises(
        kata,
        ValueError,
        tiny_bert.load_model(),
        arguments(tmp_path),
        dataset,
        because=f"there is no 'labels' column to count (a {column!r} column is not one)",
        match="labels",
    )
