"""Hidden checks: fine_tune."""

from __future__ import annotations

import math

import pytest
import torch
from safetensors.torch import load_file
from transformers import AutoTokenizer, Trainer

from pytest_tfkatas.checks.fine_tuning.helpers import (
    changed_parameters,
    expect_cpu_quiet_settings,
    logged_losses,
    sentiment_dataset,
    snapshot,
)
from pytest_tfkatas.harness import describe, expect, expect_raises

LABELS = [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0]


def trained(kata, model, tokenizer, tmp_path, **settings) -> Trainer:
    trainer = kata(model, tokenizer, sentiment_dataset(LABELS), tmp_path / "run", **settings)
    expect(
        isinstance(trainer, Trainer),
        kata,
        got=describe(trainer),
        expected="the transformers.Trainer that did the training",
        tip="build a Trainer, call trainer.train(), then return the trainer.",
    )
    return trainer


def test_training_updates_the_given_model_and_logs_every_step(kata, tiny_bert, tmp_path):
    model = tiny_bert.load_model()
    before = snapshot(model)
    trainer = trained(
        kata, model, tiny_bert.load_tokenizer(), tmp_path, max_steps=3, batch_size=4, learning_rate=1e-3
    )
    changed = changed_parameters(model, before)
    expect(
        len(changed) > len(before) // 2,
        kata,
        got=f"{len(changed)} of the model's {len(before)} parameter tensors changed",
        expected="a trained model: nearly every parameter tensor of the model passed in has changed",
        tip="call trainer.train() on a Trainer built with the model you were given.",
    )
    losses = logged_losses(trainer)
    expect(
        [step for step, _ in losses] == [1, 2, 3] and all(math.isfinite(loss) for _, loss in losses),
        kata,
        got=f"training losses logged at steps {[step for step, _ in losses]}: {[loss for _, loss in losses]}",
        expected="a finite training loss logged at steps [1, 2, 3] in trainer.state.log_history",
        tip="TrainingArguments(logging_steps=1, max_steps=max_steps): the default logs every 500 steps.",
    )


@pytest.mark.parametrize(
    ("max_steps", "batch_size", "learning_rate"), [(2, 8, 1e-3), (5, 2, 2e-4)], ids=["2x8", "5x2"]
)
def test_the_steps_batch_size_and_learning_rate_are_the_ones_given(
    kata, tiny_bert, tmp_path, max_steps, batch_size, learning_rate
):
    model = tiny_bert.load_model()
    trainer = trained(
        kata,
        model,
        tiny_bert.load_tokenizer(),
        tmp_path,
        max_steps=max_steps,
        batch_size=batch_size,
        learning_rate=learning_rate,
    )
    expect(
        trainer.state.global_step == max_steps,
        kata,
        got=f"{trainer.state.global_step} optimizer steps",
        expected=f"{max_steps} optimizer steps",
        tip="TrainingArguments(max_steps=max_steps) counts optimizer steps and overrides num_train_epochs.",
    )
    entries = [entry for entry in trainer.state.log_history if "loss" in entry]
    # After the first step the Trainer logs how far into the epoch it is: one batch out of all of them.
    epoch = entries[0].get("epoch") if entries else None
    expected_epoch = 1 / math.ceil(len(LABELS) / batch_size)
    expect(
        epoch is not None and math.isclose(epoch, expected_epoch, rel_tol=1e-6),
        kata,
        got=f"epoch {epoch} logged after the first step",
        expected=f"epoch {expected_epoch:g} after the first step: one batch of {batch_size} out of "
        f"{len(LABELS)} examples",
        tip="TrainingArguments(per_device_train_batch_size=batch_size, logging_steps=1).",
    )
    rates = [entry.get("learning_rate", 0.0) for entry in entries]
    expect(
        rates and max(rates) <= learning_rate * (1 + 1e-6) and max(rates) >= learning_rate / 2,
        kata,
        got=f"learning rates {rates} logged",
        expected=f"a peak learning rate of {learning_rate:g} (the default schedule then decays it)",
        tip="TrainingArguments(learning_rate=learning_rate).",
    )


def test_the_defaults_are_ten_steps_of_eight_at_5e_5(kata, tiny_bert, tmp_path):
    # 17 examples: 3 batches of 8 per epoch (2 of 9 or more), so the first step ends at epoch 1/3.
    data = sentiment_dataset([*LABELS, 1])
    trainer = kata(tiny_bert.load_model(), tiny_bert.load_tokenizer(), data, tmp_path / "run")
    expect(isinstance(trainer, Trainer), kata, got=describe(trainer), expected="the Trainer, after training")
    entries = [entry for entry in trainer.state.log_history if "loss" in entry]
    epoch = entries[0].get("epoch") if entries else None
    rates = [entry.get("learning_rate", 0.0) for entry in entries]
    got = (trainer.state.global_step, epoch, max(rates, default=None))
    expect(
        trainer.state.global_step == 10
        and epoch is not None
        and math.isclose(epoch, 1 / 3, rel_tol=1e-6)
        and 2.5e-5 <= max(rates) <= 5e-5 * (1 + 1e-6),
        kata,
        got=f"{got[0]} steps, epoch {got[1]} after the first step, a peak learning rate of {got[2]}",
        expected="the defaults: 10 steps, batches of 8 (epoch 1/3 after the first step on 17 examples), "
        "a peak learning rate of 5e-05",
        tip="keep the signature's defaults (max_steps=10, batch_size=8, learning_rate=5e-5) and pass "
        "them on to TrainingArguments.",
    )


def test_one_example_trains_in_batches_of_one_and_long_texts_are_truncated(kata, tiny_bert, tmp_path):
    from datasets import Dataset

    tokenizer = tiny_bert.load_tokenizer()
    text = " ".join(["the film was long but good"] * 60)
    assert len(tokenizer(text)["input_ids"]) > tokenizer.model_max_length, "the text must be over-long"
    model = tiny_bert.load_model()
    trainer = kata(
        model,
        tokenizer,
        Dataset.from_dict({"text": [text], "label": [1]}),
        tmp_path / "run",
        max_steps=2,
        batch_size=1,
    )
    steps = trainer.state.global_step if isinstance(trainer, Trainer) else None
    expect(
        steps == 2,
        kata,
        got=f"{describe(trainer)} after {steps} steps",
        expected="the Trainer after 2 steps on the one example, in batches of 1, its text truncated to the "
        f"model's {tokenizer.model_max_length} tokens",
        tip="tokenizer(batch['text'], truncation=True): cut texts longer than the model's positions.",
    )


def test_a_dataset_smaller_than_a_batch_trains_in_one_short_batch(kata, tiny_bert, tmp_path):
    model = tiny_bert.load_model()
    trainer = kata(
        model,
        tiny_bert.load_tokenizer(),
        sentiment_dataset([1, 0, 1]),
        tmp_path / "run",
        max_steps=2,
        batch_size=8,
    )
    steps = trainer.state.global_step if isinstance(trainer, Trainer) else None
    epochs = [entry.get("epoch") for entry in trainer.state.log_history if "loss" in entry] if steps else []
    expect(
        steps == 2 and epochs[:1] == [1.0],
        kata,
        got=f"{describe(trainer)} after {steps} steps, at epochs {epochs}",
        expected="the Trainer after 2 steps, each a whole epoch: 3 examples make one batch, shorter than "
        "batch_size=8, which is fine",
        tip="refuse only an empty data set; a batch holds what is left when the data runs out.",
    )


def test_the_trainer_runs_on_the_cpu_quietly_in_output_dir(kata, tiny_bert, tmp_path):
    trainer = trained(kata, tiny_bert.load_model(), tiny_bert.load_tokenizer(), tmp_path, max_steps=1)
    expect_cpu_quiet_settings(kata, trainer, tmp_path / "run")


def test_the_tokenizer_is_saved_with_the_model(kata, tiny_bert, tmp_path):
    variant = tiny_bert.variant(1)
    model, tokenizer = variant.load_model(), variant.load_tokenizer()
    trainer = trained(kata, model, tokenizer, tmp_path, max_steps=1, batch_size=4, learning_rate=1e-3)
    saved = tmp_path / "saved"
    trainer.save_model(str(saved))
    # Careful: with no tokenizer files, AutoTokenizer builds an empty tokenizer from config.json
    # (every word becomes [UNK]) instead of failing. Compare what the two tokenizers produce.
    sample = "the robot read one page of every book"
    expected = tokenizer(sample)["input_ids"]
    found = AutoTokenizer.from_pretrained(saved)(sample)["input_ids"]
    expect(
        found == expected,
        kata,
        got=f"trainer.save_model() wrote no tokenizer: loading the folder gives one that encodes "
        f"{sample!r} as {found}",
        expected=f"the tokenizer saved next to the weights, which encodes it as {expected}",
        tip="Trainer(processing_class=tokenizer): in transformers 5 the tokenizer= argument is gone, and "
        "without a processing class the Trainer does not know which tokenizer to save.",
    )
    weights = load_file(saved / "model.safetensors")
    same = all(
        torch.equal(weights[name], tensor) for name, tensor in model.state_dict().items() if name in weights
    )
    expect(
        same,
        kata,
        got="saved weights that differ from the model passed in",
        expected="trainer.model to be the model you were given, trained in place",
        tip="pass the model argument to Trainer(model=model, ...) rather than loading another one.",
    )


def test_no_checkpoints_are_written(kata, tiny_bert, tmp_path):
    trained(kata, tiny_bert.load_model(), tiny_bert.load_tokenizer(), tmp_path, max_steps=2, batch_size=4)
    run = tmp_path / "run"
    checkpoints = sorted(path.name for path in run.glob("checkpoint-*")) if run.exists() else []
    expect(
        not checkpoints,
        kata,
        got=f"checkpoint folders {checkpoints} in output_dir",
        expected="no checkpoints (the caller saves the model if it wants to)",
        tip='TrainingArguments(save_strategy="no"): by default the Trainer saves a checkpoint, optimizer '
        "state included, at the end of training.",
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
        tmp_path / "run",
        because=f"the data set has no {match!r} column to train on",
        match=match,
    )


def test_an_empty_dataset_raises_value_error_before_training(kata, tiny_bert, tmp_path):
    from datasets import Dataset

    model = tiny_bert.load_model()
    before = snapshot(model)
    run = tmp_path / "run"
    expect_raises(
        kata,
        ValueError,
        model,
        tiny_bert.load_tokenizer(),
        Dataset.from_dict({"text": [], "label": []}),
        run,
        because="an empty data set has no example to train on",
    )
    written = sorted(path.name for path in run.iterdir()) if run.exists() else []
    changed = changed_parameters(model, before)
    expect(
        not changed and not written,
        kata,
        got=f"{len(changed)} changed parameter tensors, files {written} in output_dir",
        expected="the model left untouched and nothing written: refuse the empty data set before training",
        tip="check len(train_dataset) == 0 first, before building the Trainer.",
    )


@pytest.mark.parametrize("settings", [{"max_steps": 0}, {"batch_size": 0}], ids=["no steps", "empty batches"])
def test_bad_settings_raise_value_error(kata, tiny_bert, tmp_path, settings):
    model = tiny_bert.load_model()
    before = snapshot(model)
    expect_raises(
        kata,
        ValueError,
        model,
        tiny_bert.load_tokenizer(),
        sentiment_dataset(LABELS),
        tmp_path / "run",
        **settings,
        because=f"{settings} leaves nothing to train",
    )
    expect(
        not changed_parameters(model, before),
        kata,
        got="a model whose parameters changed",
        expected="the model left untouched when the arguments are refused",
    )
