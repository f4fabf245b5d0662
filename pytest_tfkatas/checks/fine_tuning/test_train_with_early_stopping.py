"""Hidden checks: train_with_early_stopping.

A callback that the checks add to every Trainer the kata builds records each evaluation: its step,
its metrics and the model's weights at that moment. The scripted runs make the metric a sequence
the check chooses (through compute_metrics), so where training must stop and which weights must
be kept are known in advance.
"""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import torch
from transformers import Trainer, TrainerCallback

from pytest_tfkatas.checks.fine_tuning.helpers import (
    changed_parameters,
    expect_cpu_quiet_settings,
    sentiment_dataset,
    snapshot,
    texts,
)
from pytest_tfkatas.harness import describe, expect, expect_raises, fail_call

#: 12 training examples: 3 steps an epoch with batches of 4 (4 with batches of 3), so evaluating
#: "every epoch" is never the same as every 1 or 2 steps.
TRAIN_LABELS = [0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0]
EVAL_LABELS = [1, 0, 0, 1]


class Recorder(TrainerCallback):
    """Each evaluation's step, metrics and the model's weights then; the learning rate of each
    training step; the size of every batch the model ran on, in training and in evaluation."""

    def __init__(self) -> None:
        self.evaluations: list[tuple[int, dict[str, float], dict[str, torch.Tensor]]] = []
        self.rates: list[float] = []
        self.train_batches: list[int] = []
        self.eval_batches: list[int] = []
        self._hook = None

    def on_train_begin(self, args, state, control, model=None, **kwargs):
        if self._hook is None and model is not None:
            self._hook = model.register_forward_pre_hook(self._record, with_kwargs=True)

    def on_train_end(self, args, state, control, **kwargs):
        if self._hook is not None:
            self._hook.remove()
            self._hook = None

    def on_step_begin(self, args, state, control, optimizer=None, **kwargs):
        if optimizer is not None:
            self.rates.append(optimizer.param_groups[0]["lr"])

    def on_evaluate(self, args, state, control, metrics=None, model=None, **kwargs):
        self.evaluations.append((state.global_step, dict(metrics or {}), snapshot(model)))

    def _record(self, module, args, kwargs) -> None:
        ids = kwargs.get("input_ids", args[0] if args else None)
        if ids is not None:
            (self.train_batches if module.training else self.eval_batches).append(len(ids))

    @property
    def steps(self) -> list[int]:
        return [step for step, _, _ in self.evaluations]


@contextlib.contextmanager
def recorded() -> Iterator[Recorder]:
    """A Recorder added to every Trainer built inside the block."""
    recorder = Recorder()
    original = Trainer.__init__

    @functools.wraps(original)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        self.add_callback(recorder)

    Trainer.__init__ = init  # type: ignore[method-assign]
    try:
        yield recorder
    finally:
        Trainer.__init__ = original  # type: ignore[method-assign]


class Scripted:
    """compute_metrics that returns the next of ``values`` at each evaluation, as metric ``name``."""

    def __init__(self, name: str, values: Sequence[float]) -> None:
        self.name, self.values, self.calls = name, tuple(values), 0

    def __call__(self, prediction: Any) -> dict[str, float]:
        self.calls += 1
        return {self.name: self.values[min(self.calls, len(self.values)) - 1]}

    def __repr__(self) -> str:
        return f"<compute_metrics giving {self.name!r} = {', '.join(map(str, self.values[:4]))}, ...>"


def where_it_stops(values: Sequence[float], patience: int, greater_is_better: bool) -> tuple[int, int]:
    """(the evaluation training stops at, the best evaluation), both counted from 0: the rule of
    the contract written out (a tie is no improvement)."""
    best, bad = 0, 0
    for index in range(1, len(values)):
        better = values[index] > values[best] if greater_is_better else values[index] < values[best]
        if better:
            best, bad = index, 0
        else:
            bad += 1
        if bad >= patience:
            return index, best
    return len(values) - 1, best


def weights_differ(model: Any, weights: dict[str, torch.Tensor]) -> float:
    return max(float((p.detach() - weights[name]).abs().max()) for name, p in model.named_parameters())


def run(kata, tiny_bert, tmp_path, *, as_str=False, **settings) -> tuple[Trainer, Any, Recorder, Path]:
    """One run of the kata on the sentiment data, output_dir given as a Path (or, ``as_str``, as
    the str the contract also allows)."""
    model = tiny_bert.load_model()
    output_dir = tmp_path / "run"
    with recorded() as recorder:
        trainer = kata(
            model,
            tiny_bert.load_tokenizer(),
            sentiment_dataset(TRAIN_LABELS),
            sentiment_dataset(EVAL_LABELS, start=30),
            str(output_dir) if as_str else output_dir,
            **settings,
        )
    expect(
        isinstance(trainer, Trainer),
        kata,
        got=describe(trainer),
        expected="the Trainer that trained the model",
    )
    return trainer, model, recorder, output_dir


def expect_stopped_and_kept_the_best(
    kata, trainer, model, recorder, values, *, patience, eval_steps, greater
):
    """The evaluations, the stop and the weights kept, against the values the metric took."""
    stop, best = where_it_stops(values, patience, greater)
    expected_steps = [eval_steps * (k + 1) for k in range(stop + 1)]
    steps = recorder.steps
    if steps != expected_steps:
        if not steps:
            tip = 'evaluate during training: TrainingArguments(eval_strategy="steps", eval_steps=eval_steps).'
        elif any(step % eval_steps for step in steps[:-1]) or steps[0] != eval_steps:
            tip = 'evaluate every eval_steps steps: eval_strategy="steps" and eval_steps=eval_steps.'
        elif steps[-1] % eval_steps:
            tip = "training ended at neither an evaluation nor max_steps: TrainingArguments(max_steps=...)."
        elif len(steps) > len(expected_steps):
            tip = (
                "training went on after the stop: an EarlyStoppingCallback with early_stopping_patience="
                "patience, the metric named in metric_for_best_model and greater_is_better as given."
            )
        else:
            tip = (
                "training stopped too early: an evaluation that beats the best, by however little, starts "
                "the patience again (no early_stopping_threshold); say which direction is better "
                "(greater_is_better: the Trainer otherwise "
                "guesses it from the metric's name), and give the callback the patience asked for."
            )
        fail_call(
            kata,
            got=f"evaluations at steps {steps}",
            expected=f"evaluations at steps {expected_steps}: the metric took the values "
            f"{list(values[: stop + 1])} ({'higher' if greater else 'lower'} is better), so with patience "
            f"{patience} training stops at step {expected_steps[-1]}",
            tip=tip,
        )
    expect(
        trainer.state.global_step == expected_steps[-1],
        kata,
        got=f"trainer.state.global_step == {trainer.state.global_step}",
        expected=f"training stopped at step {expected_steps[-1]}",
    )
    off = weights_differ(model, recorder.evaluations[best][2])
    expect(
        off == 0,
        kata,
        got=f"the model's weights {off:.2e} away from those of step {expected_steps[best]}",
        expected=f"the weights of step {expected_steps[best]}, the best evaluation ({values[best]}), kept at "
        "the end",
        tip="TrainingArguments(load_best_model_at_end=True), with a checkpoint saved at every evaluation "
        '(save_strategy="steps", save_steps=eval_steps), reloads the best weights when training ends.',
    )
    expect(
        trainer.state.best_metric == values[best],
        kata,
        got=f"trainer.state.best_metric == {trainer.state.best_metric!r}",
        expected=f"{values[best]!r}, the best value of the metric",
        tip="TrainingArguments(metric_for_best_model=metric, greater_is_better=greater_is_better).",
    )
    return expected_steps[best]


@pytest.mark.parametrize(
    ("values", "patience", "eval_steps", "greater", "batch_size", "as_str"),
    [
        ((0.5, 0.7, 0.6, 0.65, 0.7, 0.9, 0.95, 0.99, 1.0, 1.0), 3, 2, True, 4, False),
        ((0.9, 0.85, 0.8, 0.83, 0.6, 0.7, 0.7, 0.5, 0.4, 0.3, 0.2, 0.1), 2, 1, False, 4, True),
        ((0.3, 0.4, 0.4, 0.9, 0.95, 0.99), 1, 1, True, 3, False),
    ],
    ids=[
        "higher is better, a tie is no improvement",
        "lower is better, one bad evaluation forgiven, output_dir a str",
        "patience 1, batches of 3",
    ],
)
def test_training_stops_after_patience_evaluations_without_improvement_and_keeps_the_best(
    kata, tiny_bert, tmp_path, values, patience, eval_steps, greater, batch_size, as_str
):
    name = "score" if greater else "error"
    max_steps = eval_steps * len(values)
    trainer, model, recorder, output_dir = run(
        kata,
        tiny_bert,
        tmp_path,
        as_str=as_str,
        patience=patience,
        eval_steps=eval_steps,
        max_steps=max_steps,
        metric=name,
        greater_is_better=greater,
        compute_metrics=Scripted(name, values),
        batch_size=batch_size,
        learning_rate=1e-3,
    )
    expect_batches_and_rate(
        kata,
        recorder,
        train=batch_size,
        evaluation=[batch_size, len(EVAL_LABELS) - batch_size]
        if batch_size < len(EVAL_LABELS)
        else [batch_size],
        rate=1e-3,
        said=f"batch_size={batch_size}, learning_rate=1e-3",
    )
    best_step = expect_stopped_and_kept_the_best(
        kata, trainer, model, recorder, values, patience=patience, eval_steps=eval_steps, greater=greater
    )
    expect_cpu_quiet_settings(kata, trainer, output_dir)
    elsewhere = sorted(path.name for path in tmp_path.iterdir() if path.name != "run")
    expect(
        not elsewhere,
        kata,
        got=f"files written next to output_dir: {elsewhere}",
        expected="everything written into output_dir",
        tip="TrainingArguments(output_dir=output_dir) and no other folder.",
    )
    expect(
        (output_dir / f"checkpoint-{best_step}").is_dir(),
        kata,
        got=f"output_dir holds {sorted(path.name for path in output_dir.glob('*'))}",
        expected=f"the checkpoint of the best step, checkpoint-{best_step}, in output_dir",
        tip='save a checkpoint at every evaluation: save_strategy="steps", save_steps=eval_steps.',
    )


def expect_batches_and_rate(kata, recorder, *, train: int, evaluation: list[int], rate: float, said: str):
    """Training batches of ``train`` examples, each evaluation in batches ``evaluation``, and a
    peak learning rate of ``rate`` (``said`` says where these numbers come from)."""
    peak = max(recorder.rates, default=0.0)
    evaluations = len(recorder.evaluations)
    expect(
        set(recorder.train_batches) == {train}
        and recorder.eval_batches == evaluation * evaluations
        and abs(peak - rate) <= 1e-9 * rate,
        kata,
        got=f"training batches of {sorted(set(recorder.train_batches))} examples, evaluation batches "
        f"{recorder.eval_batches[: len(recorder.eval_batches) // max(evaluations, 1)]} (the first "
        f"evaluation's), a peak learning rate of {peak}",
        expected=f"training batches of {train}, evaluation batches {evaluation}, a peak learning rate of "
        f"{rate} ({said})",
        tip="TrainingArguments(per_device_train_batch_size=batch_size, per_device_eval_batch_size="
        "batch_size, learning_rate=learning_rate).",
    )


def test_a_run_that_keeps_improving_goes_to_max_steps_and_keeps_the_last_weights(kata, tiny_bert, tmp_path):
    values = (0.5, 0.5001, 0.50011, 0.500111)  # improvements, however small
    trainer, model, recorder, _ = run(
        kata,
        tiny_bert,
        tmp_path,
        patience=1,
        eval_steps=2,
        max_steps=8,
        metric="accuracy",
        greater_is_better=True,
        compute_metrics=Scripted("accuracy", values),
    )
    expect_batches_and_rate(
        kata,
        recorder,
        train=4,
        evaluation=[4],
        rate=5e-5,
        said="the defaults: batch_size=4, learning_rate=5e-05",
    )
    expect_stopped_and_kept_the_best(
        kata, trainer, model, recorder, values, patience=1, eval_steps=2, greater=True
    )


def test_by_default_the_evaluation_loss_is_watched_and_lower_is_better(kata, tiny_bert, tmp_path):
    # The evaluation set has the training texts with the opposite labels: as the model learns,
    # its evaluation loss grows. One text is longer than the model's positions: it is truncated.
    from datasets import Dataset

    model = tiny_bert.load_model()
    tokenizer = tiny_bert.load_tokenizer()
    lines = [*texts(len(TRAIN_LABELS) - 1), " ".join(texts(12, start=70))]
    assert len(tokenizer(lines[-1])["input_ids"]) > tokenizer.model_max_length, "the text must be over-long"
    train = Dataset.from_dict({"text": lines, "label": TRAIN_LABELS})
    flipped = Dataset.from_dict({"text": lines, "label": [1 - label for label in TRAIN_LABELS]})
    with recorded() as recorder:
        trainer = kata(
            model,
            tokenizer,
            train,
            flipped,
            tmp_path / "run",
            patience=2,
            eval_steps=1,
            max_steps=8,
            learning_rate=2e-3,
        )
    losses = [metrics.get("eval_loss") for _, metrics, _ in recorder.evaluations]
    expect(
        bool(losses) and None not in losses,
        kata,
        got=f"evaluations with the metrics {[sorted(metrics) for _, metrics, _ in recorder.evaluations]}",
        expected="an evaluation loss at every evaluation",
    )
    expect_batches_and_rate(
        kata,
        recorder,
        train=4,
        evaluation=[4, 4, 4],
        rate=2e-3,
        said="batch_size=4 by default, learning_rate=2e-3",
    )
    expect_stopped_and_kept_the_best(
        kata, trainer, model, recorder, losses, patience=2, eval_steps=1, greater=False
    )


@pytest.mark.parametrize(
    ("setting", "because"),
    [
        ({"patience": 0}, "a patience of 0 would stop at the first evaluation"),
        ({"patience": -1}, "a patience below 1 means nothing"),
        ({"eval_steps": 0}, "evaluating every 0 steps means nothing"),
        ({"max_steps": 0}, "a run of 0 steps trains nothing"),
        ({"max_steps": -1}, "max_steps is below 1 (-1 is not 'no limit' here: the contract has none)"),
        ({"batch_size": 0}, "a batch holds at least one example"),
    ],
    ids=["patience 0", "patience -1", "eval_steps 0", "max_steps 0", "max_steps -1", "batch_size 0"],
)
def test_a_bad_setting_raises_value_error_before_anything_is_trained_or_written(
    kata, tiny_bert, tmp_path, setting, because
):
    model = tiny_bert.load_model()
    before = snapshot(model)
    settings = {"patience": 2, "eval_steps": 1, "max_steps": 4, **setting}
    expect_raises(
        kata,
        ValueError,
        model,
        tiny_bert.load_tokenizer(),
        sentiment_dataset(TRAIN_LABELS),
        sentiment_dataset(EVAL_LABELS, start=30),
        tmp_path / "run",
        because=because,
        **settings,
    )
    written = sorted(path.name for path in tmp_path.iterdir())
    expect(
        not changed_parameters(model, before) and not written,
        kata,
        got=f"files written: {written}, parameters changed: {len(changed_parameters(model, before))}",
        expected="nothing trained and nothing written when a setting is refused",
        tip="check the settings before you build the Trainer.",
    )
