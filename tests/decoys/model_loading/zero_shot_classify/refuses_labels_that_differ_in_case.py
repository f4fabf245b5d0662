"""Decoy for zero_shot_classify: labels are compared lower-cased, so 'Food' and 'food' are refused as a repeat.

caught_by: test_labels_are_kept_exactly_as_given
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
    if not labels:
        raise ValueError("labels must name at least one candidate label")
    if len({label.lower() for label in labels}) != len(labels):  # MISTAKE
        raise ValueError(f"labels must not repeat: {list(labels)}")
    if "{}" not in hypothesis_template:
        raise ValueError(f"hypothesis_template needs '{{}}' where the label goes: {hypothesis_template!r}")
    # The pipeline turns each label into a hypothesis and asks the NLI model whether the text
    # entails it. Always pass the model: the task's default would be downloaded from the Hub.
    classifier = pipeline("zero-shot-classification", model=str(model_name_or_path))
    result = classifier(
        text,
        candidate_labels=list(labels),
        hypothesis_template=hypothesis_template,
        multi_label=multi_label,
    )
    # The pipeline sorts labels by score; a dict keyed by label is easier to use.
    return dict(zip(result["labels"], result["scores"], strict=True))
