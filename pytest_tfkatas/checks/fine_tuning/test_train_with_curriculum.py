"""Hidden checks: train_with_curriculum."""

from __future__ import annotations

from collections import Counter

import pytest
from transformers import Trainer, TrainerCallback

from pytest_tfkatas.checks.fine_tuning.helpers import (
    changed_parameters,
    expect_cpu_quiet_settings,
    logged_losses,
    snapshot,
    texts,
)
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call


class CurriculumWatcher(TrainerCallback):
    """Sees every training batch: on_train_begin puts a forward pre-hook on the model being trained."""

    def __init__(self) -> None:
        self.batches: list[list[tuple[int, ...]]] = []
        self.runs = 0
        self.steps = 0
        self._hook = None

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        self.runs += 1
        if self._hook is None and model is not None:
            self._hook = model.register_forward_pre_hook(self._record, with_kwargs=True)

    def on_step_end(self, args, state, control, **kwargs):
        self.steps += 1

    def on_train_end(self, args, state, control, **kwargs):
        if self._hook is not None:
            self._hook.remove()
            self._hook = None

    def _record(self, module, args, kwargs) -> None:
        if not module.training:
            return
        ids = kwargs.get("input_ids", args[0] if args else None)
        mask = kwargs.get("attention_mask")
        if ids is None:
            return
        self.batches.append(
            [tuple((row if mask is None else row[mask[i].bool()]).tolist()) for i, row in enumerate(ids)]
        )


#: Three difficulty levels: a few words, half a sentence, whole sentences.
LEVELS = {"short": (0, 3), "medium": (20, 7), "long": (40, None)}


def stage(level: str, size: int, offset: int = 0):
    from datasets import Dataset

    start, words = LEVELS[level]
    lines = [" ".join(line.split()[:words]) for line in texts(size, start=start + offset)]
    return Dataset.from_dict({"text": lines, "label": [(i * 7 + size) % 2 for i in range(size)]})


def stage_of_examples(tokenizer, stages) -> dict[tuple[int, ...], int]:
    """Every example's token ids, mapped to its stage's position in the curriculum."""
    found = {}
    for number, dataset in enumerate(stages):
        for text in dataset["text"]:
            found[tuple(tokenizer(text)["input_ids"])] = number
    assert len(found) == sum(len(dataset) for dataset in stages), "the check's examples must all differ"
    return found


def train(kata, tiny_bert, tmp_path, stages, batch_size=4):
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    watcher = CurriculumWatcher()
    before = snapshot(model)
    trainer = kata(
        model,
        tokenizer,
        stages,
        tmp_path,
        batch_size=batch_size,
        learning_rate=1e-3,
        callbacks=[watcher],
    )
    expect(
        isinstance(trainer, Trainer),
        kata,
        got=describe(trainer),
        expected="the Trainer that trained the model",
    )
    expect(
        watcher.runs > 0 and watcher.batches,
        kata,
        got="a callback that was never told about any training",
        expected="the callbacks given to follow every training step",
        tip="hand them to the Trainer: Trainer(..., callbacks=list(callbacks)).",
    )
    return model, tokenizer, watcher, before


def check_curriculum(kata, tokenizer, stages, watcher) -> None:
    where = stage_of_examples(tokenizer, stages)
    seen = [example for batch in watcher.batches for example in batch]
    unknown = [example for example in seen if example not in where]
    if unknown:
        fail_call(
            kata,
            got=f"the model trained on token ids {list(unknown[0])}, which are no stage's text",
            expected="the texts of the stages, tokenized with tokenizer(text, truncation=True)",
        )
    order = [where[example] for example in seen]
    blocks = [number for i, number in enumerate(order) if i == 0 or order[i - 1] != number]
    tip = (
        "the Trainer shuffles its training set by default, which mixes the stages: train stage by "
        'stage, or concatenate them in order and set TrainingArguments(train_sampling_strategy="sequential").'
    )
    if len(blocks) == len(set(blocks)):  # each stage in one piece, but the pieces out of order
        tip = "keep the stages in the order given: the caller decides what is easy, not the text length."
    expect(
        order == sorted(order),
        kata,
        got=f"examples from the stages in this order: {order}",
        expected=f"the stages one after the other, in the order given: {sorted(order)}",
        tip=tip,
    )
    counts = Counter(seen)
    missing = sum(1 for example in where if example not in counts)
    repeated = sum(1 for count in counts.values() if count > 1)
    expect(
        not missing and not repeated,
        kata,
        got=f"{missing} examples never trained on and {repeated} trained on more than once",
        expected=f"each of the {len(where)} examples trained on exactly once",
        tip="one epoch over every stage (num_train_epochs=1, the default is 3), keeping the last, "
        "smaller batch of a stage (no dataloader_drop_last).",
    )


def test_the_stages_are_trained_in_order_each_example_once(kata, tiny_bert, tmp_path):
    stages = [stage("short", 4), stage("medium", 8), stage("long", 8)]
    model, tokenizer, watcher, before = train(kata, tiny_bert, tmp_path, stages)
    check_curriculum(kata, tokenizer, stages, watcher)
    changed = changed_parameters(model, before)
    expect(
        len(changed) > len(before) // 2,
        kata,
        got=f"{len(changed)} of the model's {len(before)} parameter tensors changed",
        expected="the model passed in, trained",
        tip="train the model you were given: Trainer(model=model, ...).",
    )


def test_the_order_given_is_kept_even_when_it_is_not_by_length(kata, tiny_bert, tmp_path):
    # The caller decides what "easy" means: here the medium texts come first, the short ones last.
    stages = [stage("medium", 4, offset=10), stage("long", 4, offset=10), stage("short", 8, offset=10)]
    _, tokenizer, watcher, _ = train(kata, tiny_bert, tmp_path, stages)
    check_curriculum(kata, tokenizer, stages, watcher)


def test_stages_that_do_not_fill_whole_batches(kata, tiny_bert, tmp_path):
    stages = [stage("short", 5, offset=20), stage("medium", 3, offset=20), stage("long", 6, offset=20)]
    _, tokenizer, watcher, _ = train(kata, tiny_bert, tmp_path, stages, batch_size=4)
    check_curriculum(kata, tokenizer, stages, watcher)


def test_the_callbacks_follow_every_step(kata, tiny_bert, tmp_path):
    stages = [stage("short", 4, offset=30), stage("long", 4, offset=30)]
    _, _, watcher, _ = train(kata, tiny_bert, tmp_path, stages, batch_size=2)
    expect(
        watcher.steps == len(watcher.batches) == 4,
        kata,
        got=f"{watcher.steps} steps reported to the callback, {len(watcher.batches)} batches trained on",
        expected="4 steps of 2 examples for 2 stages of 4 examples, each reported to the callbacks",
        tip="TrainingArguments(per_device_train_batch_size=batch_size), and pass the callbacks to every "
        "Trainer that trains.",
    )


def test_the_defaults_the_settings_and_long_texts(kata, tiny_bert, tmp_path):
    """20 examples with the default batch size (8) and learning rate (5e-5); the last stage holds
    a text longer than the model's positions, which must be truncated. Stages may be trained one
    after the other (batches of [8, 1], [6], [5]) or laid end to end ([8, 8, 4])."""
    from datasets import Dataset

    tokenizer = tiny_bert.load_tokenizer()
    long_text = " ".join(texts(12, start=70))
    assert len(tokenizer(long_text)["input_ids"]) > tokenizer.model_max_length, "the text must be over-long"
    last = stage("long", 4, offset=40)
    last = Dataset.from_dict({"text": [*last["text"], long_text], "label": [*last["label"], 1]})
    stages = [stage("short", 9, offset=40), stage("medium", 6, offset=40), last]
    watcher = CurriculumWatcher()
    trainer = kata(tiny_bert.load_model(), tokenizer, stages, tmp_path, callbacks=[watcher])
    expect(
        isinstance(trainer, Trainer),
        kata,
        got=describe(trainer),
        expected="the Trainer that trained the model",
    )
    sizes = [len(batch) for batch in watcher.batches]
    expect(
        sizes and max(sizes) == 8 and sum(sizes) == 20,
        kata,
        got=f"batches of {sizes}",
        expected="20 examples in one pass, in batches of at most the default 8 (and some of 8)",
        tip="keep the signature's default batch_size=8 and pass it on as per_device_train_batch_size.",
    )
    steps = [step for step, _ in logged_losses(trainer)]
    rates = [entry.get("learning_rate", 0.0) for entry in trainer.state.log_history if "loss" in entry]
    peak = max(rates, default=0.0)
    every_step = list(range(1, trainer.state.global_step + 1))
    expect(
        steps == every_step and 2.5e-5 <= peak <= 5e-5 * (1 + 1e-6),
        kata,
        got=f"training losses logged at steps {steps} of {trainer.state.global_step}, a peak learning rate "
        f"of {peak}",
        expected=f"a loss logged at every step, {every_step}, and the default peak learning rate of 5e-05",
        tip="TrainingArguments(logging_steps=1, learning_rate=learning_rate).",
    )
    expect_cpu_quiet_settings(kata, trainer, tmp_path)
    checkpoints = sorted(path.name for path in tmp_path.glob("checkpoint-*"))
    expect(
        not checkpoints,
        kata,
        got=f"checkpoint folders {checkpoints} in output_dir",
        expected="no checkpoints",
        tip='TrainingArguments(save_strategy="no").',
    )


def test_the_learning_rate_given_is_the_peak(kata, tiny_bert, tmp_path):
    stages = [stage("short", 4, offset=50), stage("medium", 4, offset=50)]
    watcher = CurriculumWatcher()
    trainer = kata(
        tiny_bert.load_model(),
        tiny_bert.load_tokenizer(),
        stages,
        tmp_path,
        learning_rate=2e-3,
        callbacks=[watcher],
    )
    expect(
        isinstance(trainer, Trainer),
        kata,
        got=describe(trainer),
        expected="the Trainer that trained the model",
    )
    rates = [entry.get("learning_rate", 0.0) for entry in trainer.state.log_history if "loss" in entry]
    peak = max(rates, default=0.0)
    expect(
        1e-3 <= peak <= 2e-3 * (1 + 1e-6),
        kata,
        got=f"learning rates {rates} logged",
        expected="a peak learning rate of 0.002, the one given (the default schedule then decays it)",
        tip="TrainingArguments(learning_rate=learning_rate).",
    )


@pytest.mark.parametrize(
    ("make_stages", "because"),
    [
        (lambda: [], "a curriculum with no stages has nothing to train on"),
        (lambda: [stage("short", 2), stage("short", 0, offset=2)], "stage 1 is empty"),
        (lambda: [stage("short", 2).remove_columns("label")], "stage 0 has no 'label' column"),
    ],
    ids=["no stages", "an empty stage", "no label column"],
)
def test_a_bad_curriculum_raises_value_error(kata, tiny_bert, tmp_path, make_stages, because):
    model = tiny_bert.load_model()
    before = snapshot(model)
    expect_raises(
        kata,
        ValueError,
        model,
        tiny_bert.load_tokenizer(),
        make_stages(),
        tmp_path,
        because=because,
    )
    expect(
        not changed_parameters(model, before),
        kata,
        got="a model whose parameters changed",
        expected="the model left untouched when the curriculum is refused",
        tip="check every stage before training any of them.",
    )
