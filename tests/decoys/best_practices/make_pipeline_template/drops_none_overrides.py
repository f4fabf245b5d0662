"""Decoy for make_pipeline_template: leaves out the keywords a caller sets to None, so top_k=None cannot override a default top_k=1.

caught_by: test_an_override_of_none_wins_too
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
    # check_task knows the tasks of the installed transformers, their aliases and the tasks v5
    # removed, and it loads nothing. Its KeyError carries a good message; callers expect a
    # ValueError for a bad argument.
    try:
        check_task(task)
    except KeyError as error:
        raise ValueError(f"cannot make a {task!r} template: {error.args[0]}") from error
    # Build once, so a template made at start-up fails fast on a missing model and every call
    # reuses the loaded weights.
    pipe = pipeline(task, model=os.fspath(model_name_or_path))
    settings = dict(defaults)

    def run(inputs: Any, **overrides: Any) -> Any:
        given = {key: value for key, value in overrides.items() if value is not None}  # MISTAKE
        return pipe(inputs, **{**settings, **given})

    return run
