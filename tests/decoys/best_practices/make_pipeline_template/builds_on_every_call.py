"""Decoy for make_pipeline_template: builds a new pipeline on every call instead of once, when the template is made.

caught_by: test_the_pipeline_is_built_once_from_the_given_model
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from transformers import pipeline
from transformers.pipelines import check_task


def make_pipeline_template(
    task: str,
    model_name_or_path: str | os.PathLike[str],
    **defaults: Any,
) -> Callable[..., Any]:
    try:
        check_task(task)
    except KeyError as error:
        raise ValueError(f"cannot make a {task!r} template: {error.args[0]}") from error
    settings = dict(defaults)

    def run(inputs: Any, **overrides: Any) -> Any:
        pipe = pipeline(task, model=os.fspath(model_name_or_path))  # MISTAKE: loads the model every call
        return pipe(inputs, **{**settings, **overrides})

    return run
