"""Helpers and fixtures shared by the fine_tuning checks."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pytest_tfkatas import zoo
from pytest_tfkatas.harness import KataFunction, fail

#: Library errors that come from a known mistake, and what to do instead.
PITFALLS = (
    (
        "unexpected keyword argument 'tokenizer'",
        "Trainer(tokenizer=...) was removed in transformers 5: pass processing_class=tokenizer.",
    ),
    (
        "unexpected keyword argument 'evaluation_strategy'",
        "TrainingArguments(evaluation_strategy=...) was renamed eval_strategy in transformers 5.",
    ),
    (
        "unexpected keyword argument 'no_cuda'",
        "TrainingArguments(no_cuda=True) was replaced by use_cpu=True in transformers 5.",
    ),
    (
        "unexpected keyword argument 'num_items_in_batch'",
        "the Trainer calls compute_loss(model, inputs, return_outputs=False, num_items_in_batch=None): "
        "an override must accept num_items_in_batch, and a compute_loss_func is called as "
        "compute_loss_func(outputs, labels, num_items_in_batch=...).",
    ),
    (
        "You should supply an encoding or a list of encodings",
        "the Trainer drops the columns the model does not take (such as 'text'): tokenize the texts "
        "first, e.g. dataset.map(lambda batch: tokenizer(batch['text'], truncation=True), batched=True).",
    ),
    (
        "No columns in the dataset match the model's forward method signature",
        "tokenize the 'text' column first: the model takes input_ids and attention_mask, not strings.",
    ),
)


def call(kata: KataFunction, *args: Any, **kwargs: Any) -> Any:
    """``kata(*args, **kwargs)``, where a library error from a known pitfall fails with a tip."""
    __tracebackhide__ = True
    try:
        return kata(*args, **kwargs)
    except Exception as error:
        text = str(error)
        tip = next((tip for pattern, tip in PITFALLS if pattern in text), None)
        if tip is None:
            raise
        first_line = text.strip().splitlines()[0]
        problem = f"Called {kata.last_call}.\nIt raised {type(error).__name__}: {first_line}\nTip: {tip}"
    fail(problem)


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
