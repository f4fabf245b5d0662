"""Kata: assess a model's fairness across groups (seed question 153).

Run the checks with:  pytest --katas fairness_metrics
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import torch


def fairness_metrics(
    predictions: Sequence[int] | np.ndarray | torch.Tensor,
    labels: Sequence[int] | np.ndarray | torch.Tensor,
    groups: Sequence[Hashable] | np.ndarray,
    *,
    positive_label: int = 1,
) -> dict[str, Any]:
    """Measure how a classifier's decisions differ between groups of people.

    Args:
        predictions: the predicted class of every example (a list, numpy array or tensor).
        labels: the true class of every example.
        groups: the group (a protected attribute such as ``"a"`` / ``"b"``) of every example:
            any hashable value, e.g. a tuple ``("f", "18-30")`` for an intersectional group, or
            None for an unknown one.
        positive_label: the favourable outcome, e.g. 1 for "loan granted".

    Returns:
        ``{"per_group": {group: metrics}, "demographic_parity_difference": float,
        "equal_opportunity_difference": float}``, where each group's ``metrics`` dict holds
        ``"count"`` (its number of examples), ``"accuracy"`` (share of correct predictions),
        ``"positive_rate"`` (share predicted ``positive_label``) and ``"true_positive_rate"``
        (share predicted ``positive_label`` among its examples labelled ``positive_label``).
        The differences are the largest minus the smallest positive rate, and true positive
        rate, over the groups (0 when all groups are treated alike). Group keys are the values
        of ``groups`` as given, told apart as dict keys are: ``"A"``, ``"a"`` and ``"a "`` are
        three groups, ``1`` and ``"1"`` two (a numpy array's items count as their Python
        values). The rates may be computed in float32 or float64. The inputs are left unchanged.

    Raises:
        ValueError: if the three inputs do not have the same length, if there are no
            examples, or if a group has no example labelled ``positive_label`` (its true
            positive rate would be 0/0).
    """
    # TODO: check the lengths, compute each group's rates, then the gaps between groups.
    raise NotImplementedError
