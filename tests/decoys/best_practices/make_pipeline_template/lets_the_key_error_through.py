"""Decoy for make_pipeline_template: no task check, so a removed task surfaces as a KeyError from inside pipeline().

caught_by: test_a_task_removed_in_v5_is_refused_clearly
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from transformers import pipeline


def make_pipeline_template(
    task: str,
    model_name_or_path: str | os.PathLike[str],
    **defaults: Any,
) -> Callable[..., Any]:
    pipe = pipeline(task, model=os.fspath(model_name_or_path))  # MISTAKE: KeyError for removed tasks
    settings = dict(defaults)

    def run(inputs: Any, **overrides: Any) -> Any:
        return pipe(inputs, **{**settings, **overrides})

    return run
