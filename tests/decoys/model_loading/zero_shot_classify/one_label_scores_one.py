"""Decoy for zero_shot_classify: a single label is given the score 1.0 ("the scores sum to 1"), instead of being scored on its own.

caught_by: test_a_single_label_is_scored_on_its_own
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from transformers import pipeline


def zero_shot_classify(
    text: str,
    labels: Sequence[str],
    model_name_or_path: str | os.PathLike[str],
    *,
    multi_label: bool = False,
    hypothesis_template: str = "This example is {}.",
) -> dict[str, float]:
    if not labels or len(set(labels)) != len(labels) or "{}" not in hypothesis_template:
        raise ValueError("bad labels or template")
    if len(labels) == 1 and not multi_label:
        return {labels[0]: 1.0}
    classifier = pipeline("zero-shot-classification", model=str(model_name_or_path))
    result = classifier(
        text, candidate_labels=list(labels), hypothesis_template=hypothesis_template, multi_label=multi_label
    )
    return dict(zip(result["labels"], result["scores"], strict=True))
