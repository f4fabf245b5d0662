"""Decoy for zero_shot_classify: the labels are lower-cased in the returned dict, so 'Food' comes back as 'food'.

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
    if len(set(labels)) != len(labels):
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
    return {
        label.lower(): score for label, score in zip(result["labels"], result["scores"], strict=True)
    }  # MISTAKE
