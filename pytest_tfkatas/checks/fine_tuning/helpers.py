"""Helpers shared by the fine_tuning checks (plain functions; this topic has no shared fixtures)."""

from __future__ import annotations

import contextlib
import functools
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from pytest_tfkatas import zoo


def texts(count: int, *, start: int = 0) -> list[str]:
    """``count`` different lines of the zoo's corpus, from line ``start`` on."""
    lines = zoo.corpus()
    return [lines[(start + i) % len(lines)] for i in range(count)]


def sentiment_dataset(labels: Sequence[int], *, start: int = 0) -> Any:
    """A small in-memory data set with a "text" and a "label" column."""
    from datasets import Dataset

    return Dataset.from_dict({"text": texts(len(labels), start=start), "label": list(labels)})


def snapshot(model: Any) -> dict[str, Any]:
    """A copy of every parameter, to see later which ones changed."""
    return {name: parameter.detach().clone() for name, parameter in model.named_parameters()}


def changed_parameters(model: Any, before: dict[str, Any]) -> list[str]:
    import torch

    return [name for name, parameter in model.named_parameters() if not torch.equal(parameter, before[name])]


def logged_losses(trainer: Any) -> list[tuple[int, float]]:
    """(step, loss) for every training-loss entry of the trainer's log history."""
    return [(entry["step"], entry["loss"]) for entry in trainer.state.log_history if "loss" in entry]


@contextlib.contextmanager
def trainers_built() -> Iterator[list[Any]]:
    """Every ``transformers.Trainer`` (or subclass) built inside the block, in order."""
    from transformers import Trainer

    built: list[Any] = []
    original = Trainer.__init__

    @functools.wraps(original)
    def init(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        built.append(self)

    Trainer.__init__ = init  # type: ignore[method-assign]
    try:
        yield built
    finally:
        Trainer.__init__ = original  # type: ignore[method-assign]


def expect_cpu_quiet_settings(kata: Any, trainer: Any, output_dir: Path) -> None:
    """The Trainer settings the contracts name: on the CPU, no progress bar, in output_dir."""
    from transformers import ProgressCallback

    from pytest_tfkatas.harness import expect

    args = trainer.args
    progress = [
        type(c).__name__ for c in trainer.callback_handler.callbacks if isinstance(c, ProgressCallback)
    ]
    settings = f"use_cpu={args.use_cpu}, disable_tqdm={args.disable_tqdm}, output_dir={args.output_dir!r}"
    expect(
        args.use_cpu is True,
        kata,
        got=f"a Trainer with {settings}",
        expected="use_cpu=True: the contract runs on the CPU whatever accelerator the machine has",
        tip="TrainingArguments(use_cpu=True) (no_cuda=True before transformers 5).",
    )
    expect(
        args.disable_tqdm is True or not progress,
        kata,
        got=f"a Trainer with {settings}, and the callbacks {progress}",
        expected="no progress bar: disable_tqdm=True (or no ProgressCallback)",
        tip="TrainingArguments(disable_tqdm=True).",
    )
    expect(
        Path(args.output_dir).resolve() == Path(output_dir).resolve(),
        kata,
        got=f"a Trainer with {settings}",
        expected=f"output_dir={str(output_dir)!r}, the folder you were given",
        tip="TrainingArguments(output_dir=output_dir): the Trainer writes there and nowhere else.",
    )
