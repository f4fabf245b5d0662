"""Decoy for make_pipeline_template: merges the defaults last, so they override what the caller passes to run().

caught_by: test_the_callers_arguments_win_over_the_defaults
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
    pipe = pipeline(task, model=os.fspath(model_name_or_path))
    settings = dict(defaults)

    def run(inputs: Any, **overrides: Any) -> Any:
        return pipe(inputs, **{**overrides, **settings})  # MISTAKE: wrong order

    return run
