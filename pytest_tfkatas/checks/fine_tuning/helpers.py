"""Helpers shared by the fine_tuning checks (plain functions; this topic has no shared fixtures)."""

from __future__ import annotations

from collections.abc import Sequence
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
