"""Alternative: a small template class, with the task checked by hand against the registry."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from transformers import pipeline
from transformers.pipelines import get_supported_tasks

REMOVED_IN_V5 = {"summarization", "translation", "question-answering", "text2text-generation"}


class PipelineTemplate:
    def __init__(self, task: str, model: str, defaults: dict[str, Any]) -> None:
        self.pipe = pipeline(task, model=model)
        self.defaults = defaults

    def __call__(self, inputs: Any, **overrides: Any) -> Any:
        return self.pipe(inputs, **(self.defaults | overrides))


def make_pipeline_template(
    task: str,
    model_name_or_path: str | os.PathLike[str],
    **defaults: Any,
) -> Callable[..., Any]:
    if task in REMOVED_IN_V5 or task.startswith("translation_"):
        raise ValueError(
            f"the {task} pipeline was removed in transformers 5: use text-generation with a chat model"
        )
    if task not in get_supported_tasks():
        raise ValueError(f"unknown pipeline task {task}; known tasks: {', '.join(get_supported_tasks())}")
    return PipelineTemplate(task, str(model_name_or_path), dict(defaults))
