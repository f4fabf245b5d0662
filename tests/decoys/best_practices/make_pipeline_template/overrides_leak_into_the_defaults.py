"""Decoy for make_pipeline_template: merges a call's keywords into the template's defaults in place, so one call's override becomes every later call's default.

caught_by: test_an_override_applies_to_its_own_call_only
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
        settings.update(overrides)  # MISTAKE: the override stays for every later call
        return pipe(inputs, **settings)

    return run
