"""Hidden checks: optimize_memory."""

from __future__ import annotations

import pytest
import torch
from datasets import Dataset
from transformers import Seq2SeqTrainingArguments, Trainer, TrainingArguments

from pytest_tfkatas.harness import describe, expect, expect_raises

#: The settings optimize_memory may change; every other one must come through untouched.
CHANGED = {
    "activation_checkpointing",
    "gradient_checkpointing",
    "per_device_train_batch_size",
    "gradient_accumulation_steps",
    "per_device_eval_batch_size",
}


def split(effective: int, limit: int) -> tuple[int, int]:
    """The largest per-device batch <= limit that divides the effective batch, and the steps."""
    batch = limit
    while effective % batch:
        batch -= 1
    return batch, effective // batch


def returned_args(kata, result) -> TrainingArguments:
    expect(
        isinstance(result, TrainingArguments),
        kata,
        got=describe(result),
        expected="a TrainingArguments object",
    )
    return result


def test_the_callers_args_are_left_untouched(kata, training_args):
    args = training_args(per_device_train_batch_size=16, learning_rate=3e-4)
    before = args.to_dict()
    result = returned_args(kata, kata(args, 4))
    changed = sorted(key for key, value in args.to_dict().items() if before[key] != value)
    expect(
        result is not args and not changed,
        kata,
        got="the same object, changed in place" if result is args else f"args changed in place: {changed}",
        expected="a new TrainingArguments object, with the caller's args exactly as they were",
        tip=(
            "the caller may still use its args (for another run, or to compare): build a changed copy "
            "with dataclasses.replace(args, ...) instead of setting attributes on args."
        ),
    )


def test_activation_checkpointing_is_on_and_reaches_the_model(kata, training_args, tiny_gpt2):
    args = training_args(per_device_train_batch_size=4, max_steps=1)
    result = returned_args(kata, kata(args, 2))
    expect(
        result.activation_checkpointing is True,
        kata,
        got=(
            f"activation_checkpointing={result.activation_checkpointing}, "
            f"gradient_checkpointing={result.gradient_checkpointing}"
        ),
        expected="activation_checkpointing=True",
        tip=(
            "in transformers 5.23 gradient_checkpointing is a deprecated alias that the Trainer does not "
            "read, and dataclasses.replace(args, gradient_checkpointing=True) silently stays False: set "
            "activation_checkpointing=True."
        ),
    )
    model = tiny_gpt2.load_model()
    ids = torch.randint(5, 500, (4, 8), generator=torch.Generator().manual_seed(3)).tolist()
    Trainer(
        model=model, args=result, train_dataset=Dataset.from_dict({"input_ids": ids, "labels": ids})
    ).train()
    expect(
        model.is_activation_checkpointing,
        kata,
        got="a Trainer built with the returned args trained without activation checkpointing",
        expected="the Trainer switches activation checkpointing on in the model",
    )


@pytest.mark.parametrize(
    ("batch", "accumulation", "limit"),
    [(16, 1, 4), (12, 2, 6), (6, 2, 4), (7, 1, 4), (2, 8, 8), (32, 1, 5), (12, 1, 5), (4, 2, 1)],
)
def test_the_effective_batch_size_is_kept(kata, training_args, batch, accumulation, limit):
    args = training_args(per_device_train_batch_size=batch, gradient_accumulation_steps=accumulation)
    result = returned_args(kata, kata(args, limit))
    expected_batch, expected_steps = split(batch * accumulation, min(batch, limit))
    got_batch, got_steps = result.per_device_train_batch_size, result.gradient_accumulation_steps
    expect(
        (got_batch, got_steps) == (expected_batch, expected_steps),
        kata,
        got=(
            f"per_device_train_batch_size={got_batch}, gradient_accumulation_steps={got_steps} "
            f"(effective batch {got_batch * got_steps})"
        ),
        expected=(
            f"per_device_train_batch_size={expected_batch}, gradient_accumulation_steps={expected_steps}: "
            f"the effective batch stays {batch} x {accumulation} = {batch * accumulation}, split into the "
            f"largest per-device batch <= {min(batch, limit)} that divides it"
        ),
        tip=(
            "the effective batch is per_device_train_batch_size x gradient_accumulation_steps: when the "
            "per-device batch shrinks by some factor, accumulate over that many times more steps."
        ),
    )


@pytest.mark.parametrize(("eval_batch", "limit"), [(64, 4), (3, 8)])
def test_the_eval_batch_is_capped(kata, training_args, eval_batch, limit):
    args = training_args(per_device_train_batch_size=8, per_device_eval_batch_size=eval_batch)
    result = returned_args(kata, kata(args, limit))
    expected = min(eval_batch, limit)
    expect(
        result.per_device_eval_batch_size == expected,
        kata,
        got=f"per_device_eval_batch_size={result.per_device_eval_batch_size}",
        expected=f"per_device_eval_batch_size={expected} (the smaller of {eval_batch} and {limit})",
    )


def test_every_other_setting_is_kept(kata, training_args):
    args = training_args(
        per_device_train_batch_size=8,
        learning_rate=3e-4,
        weight_decay=0.1,
        seed=7,
        max_steps=11,
        lr_scheduler_type="cosine",
        logging_steps=3,
    )
    result = returned_args(kata, kata(args, 2))
    before, after = args.to_dict(), result.to_dict()
    different = {
        key: (before[key], after.get(key))
        for key in before
        if key not in CHANGED and before[key] != after.get(key)
    }
    expect(
        not different,
        kata,
        got=f"settings that changed: {describe(different)}",
        expected=(
            "only checkpointing and the batch settings changed; learning rate, seed, steps, "
            "precision ... as before"
        ),
        tip=(
            "build the copy from args itself (dataclasses.replace); a fresh TrainingArguments or "
            "set_training() puts other settings back to their defaults, and fp16/bf16 need a GPU."
        ),
    )


def test_a_subclass_of_training_arguments_keeps_its_class_and_settings(kata, tmp_path):
    """Seq2SeqTrainingArguments is a TrainingArguments: it is accepted, and its own settings survive."""
    args = Seq2SeqTrainingArguments(
        output_dir=str(tmp_path / "run"),
        use_cpu=True,
        report_to="none",
        save_strategy="no",
        logging_strategy="no",
        disable_tqdm=True,
        per_device_train_batch_size=8,
        predict_with_generate=True,
        generation_max_length=17,
    )
    result = kata(args, 2)
    expect(
        isinstance(result, Seq2SeqTrainingArguments),
        kata,
        got=describe(result),
        expected="a Seq2SeqTrainingArguments like the one given: a subclass of TrainingArguments is "
        "TrainingArguments too, and keeps its class",
        tip="isinstance(args, TrainingArguments) accepts subclasses; dataclasses.replace(args, ...) "
        "keeps the class of args, where TrainingArguments(...) drops it.",
    )
    expect(
        (result.predict_with_generate, result.generation_max_length, result.per_device_train_batch_size)
        == (True, 17, 2)
        and result.gradient_accumulation_steps == 4,
        kata,
        got=(
            f"predict_with_generate={result.predict_with_generate}, "
            f"generation_max_length={result.generation_max_length}, "
            f"per_device_train_batch_size={result.per_device_train_batch_size}, "
            f"gradient_accumulation_steps={result.gradient_accumulation_steps}"
        ),
        expected="predict_with_generate=True, generation_max_length=17 (kept), "
        "per_device_train_batch_size=2, "
        "gradient_accumulation_steps=4",
    )


def test_bad_arguments_raise(kata, training_args):
    expect_raises(
        kata,
        ValueError,
        training_args(per_device_train_batch_size=8),
        0,
        because="no batch fits in a device that holds fewer than 1 example",
    )
    expect_raises(
        kata,
        TypeError,
        {"per_device_train_batch_size": 8, "gradient_accumulation_steps": 1},
        4,
        because="a dict is not TrainingArguments",
    )
