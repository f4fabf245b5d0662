"""Kata: zero-shot classification with an NLI model (seed question 17).

Run the checks with:  pytest --katas zero_shot_classify
"""

from __future__ import annotations

import os
from collections.abc import Sequence


def zero_shot_classify(
    text: str,
    labels: Sequence[str],
    model_name_or_path: str | os.PathLike[str],
    *,
    multi_label: bool = False,
    hypothesis_template: str = "This example is {}.",
) -> dict[str, float]:
    """Score how well each candidate label fits ``text``, with no training on those labels.

    Args:
        text: the text to classify.
        labels: the candidate labels, e.g. ``["sports", "politics"]``; at least one, no repeats.
            Labels are kept exactly as given: "Food" and "food" are two different labels.
        model_name_or_path: a Hub name or local folder of a natural-language-inference model
            whose labels include "entailment" (the checks pass a tiny BERT NLI model).
        multi_label: if false, the labels compete and the scores sum to 1; if true, each label
            is scored on its own, between 0 and 1. A single label has nothing to compete with: it
            is scored on its own either way (the zero-shot pipeline does the same).
        hypothesis_template: how a label becomes a hypothesis; ``{}`` marks where the label goes.

    Returns:
        A dict mapping every label, as given, to its score (a Python float, not a tensor).

    Raises:
        ValueError: if ``labels`` is empty or repeats a label, or if ``hypothesis_template``
            has no ``{}`` (a named field such as ``{label}`` is not one).
    """
    # TODO: validate the arguments, then classify with the local NLI model.
    raise NotImplementedError
