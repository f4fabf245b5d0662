"""Decoy for make_pipeline_template: like the seed it returns pipeline(task, model=...) and forgets the defaults.

caught_by: test_the_template_applies_its_defaults
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
    return pipeline(task, model=os.fspath(model_name_or_path))  # MISTAKE: defaults never used
