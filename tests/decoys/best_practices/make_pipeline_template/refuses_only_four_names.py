"""Decoy for make_pipeline_template: refuses four hard-coded task names only; translation_en_to_fr and typos give KeyError.

caught_by: test_a_task_removed_in_v5_is_refused_clearly
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from transformers import pipeline

REMOVED = {"summarization", "translation", "question-answering", "text2text-generation"}


def make_pipeline_template(
    task: str,
    model_name_or_path: str | os.PathLike[str],
    **defaults: Any,
) -> Callable[..., Any]:
    if task in REMOVED:  # MISTAKE: misses translation_xx_to_yy and unknown tasks
        raise ValueError(f"the {task!r} pipeline was removed in transformers 5")
    pipe = pipeline(task, model=os.fspath(model_name_or_path))
    settings = dict(defaults)

    def run(inputs: Any, **overrides: Any) -> Any:
        return pipe(inputs, **{**settings, **overrides})

    return run
