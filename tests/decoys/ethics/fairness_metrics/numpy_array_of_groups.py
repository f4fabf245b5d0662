"""Decoy for fairness_metrics: it turns the groups into a numpy array, which makes [1, '1'] two strings '1' (one group) and a list of tuples a 2-D array.

caught_by: test_any_hashable_value_is_a_group_key
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
    # np.asarray accepts lists, numpy arrays and CPU tensors alike; .tolist() gives the groups
    # back as plain Python values for the dict keys.
    predicted = np.asarray(predictions)
    actual = np.asarray(labels)
    group_of = np.asarray(groups)  # MISTAKE: numpy converts the values: 1 becomes '1', tuples become rows
    if not len(predicted) == len(actual) == len(group_of):
        raise ValueError(
            f"predictions, labels and groups must have one entry per example; got lengths "
            f"{len(predicted)}, {len(actual)} and {len(group_of)}"
        )
    if len(predicted) == 0:
        raise ValueError("fairness metrics need at least one example")

    per_group: dict[Any, dict[str, float | int]] = {}
    for group in dict.fromkeys(group_of.tolist()):  # first-seen order, no repeats
        mask = group_of == group
        predicted_positive = predicted[mask] == positive_label
        actual_positive = actual[mask] == positive_label
        if not actual_positive.any():
            raise ValueError(
                f"group {group!r} has no example labelled {positive_label}: its true positive rate "
                "(and so equal opportunity) is undefined"
            )
        per_group[group] = {
            "count": int(mask.sum()),
            "accuracy": float((predicted[mask] == actual[mask]).mean()),
            "positive_rate": float(predicted_positive.mean()),
            # Of the examples that deserve the positive outcome, how many got it (recall).
            "true_positive_rate": float(predicted_positive[actual_positive].mean()),
        }

    positive_rates = [metrics["positive_rate"] for metrics in per_group.values()]
    true_positive_rates = [metrics["true_positive_rate"] for metrics in per_group.values()]
    return {
        "per_group": per_group,
        # Demographic parity: every group gets the positive outcome equally often.
        "demographic_parity_difference": max(positive_rates) - min(positive_rates),
        # Equal opportunity: deserving examples get it equally often, whatever their group.
        "equal_opportunity_difference": max(true_positive_rates) - min(true_positive_rates),
    }
