"""Alternative: a small template class whose pipeline is built with the defaults (a pipeline keeps
the keywords it was built with as its call defaults, and a call's keywords win over them); the
task is checked first with transformers' own check_task, which knows the removed tasks."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from transformers import pipeline
from transformers.pipelines import check_task


class PipelineTemplate:
    def __init__(self, task: str, model: str, defaults: dict[str, Any]) -> None:
        try:
            check_task(task)
        except KeyError as error:
            raise ValueError(f"no {task} pipeline: {error}") from error
        self.pipe = pipeline(task, model=model, **defaults)

    def __call__(self, inputs: Any, **overrides: Any) -> Any:
        return self.pipe(inputs, **overrides)


def make_pipeline_template(
    task: str,
    model_name_or_path: str | os.PathLike[str],
    **defaults: Any,
) -> Callable[..., Any]:
    return PipelineTemplate(task, os.fspath(model_name_or_path), defaults)
