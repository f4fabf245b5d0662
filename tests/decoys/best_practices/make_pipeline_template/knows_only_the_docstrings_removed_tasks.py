"""Decoy for make_pipeline_template: a hard-coded list of the removed tasks the docstring names; visual-question-answering and image-to-image, removed too, are called "not a pipeline task".

caught_by: test_a_task_removed_in_v5_is_refused_clearly
"""

import os
from collections.abc import Callable
from typing import Any

from transformers import pipeline
from transformers.pipelines import get_supported_tasks

REMOVED = {"summarization", "translation", "question-answering", "text2text-generation"}


def make_pipeline_template(
    task: str,
    model_name_or_path: str | os.PathLike[str],
    **defaults: Any,
) -> Callable[..., Any]:
    if task in REMOVED or task.startswith("translation_"):  # MISTAKE: v5 removed more than these
        raise ValueError(f"the {task!r} pipeline was removed in transformers 5")
    if task not in get_supported_tasks():
        raise ValueError(f"{task!r} is not a pipeline task")
    pipe = pipeline(task, model=os.fspath(model_name_or_path))
    settings = dict(defaults)

    def run(inputs: Any, **overrides: Any) -> Any:
        return pipe(inputs, **{**settings, **overrides})

    return run
