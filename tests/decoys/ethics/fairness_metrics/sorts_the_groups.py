"""Decoy for fairness_metrics: it sorts the groups, which fails when they are of types that do not compare, such as 1 and '1', or None and 'b'.

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
    # np.asarray accepts lists, numpy arrays and CPU tensors alike.
    predicted = np.asarray(predictions)
    actual = np.asarray(labels)
    # The groups stay Python values: np.asarray would turn [1, "1"] into ["1", "1"] (one group)
    # and a list of tuples into a 2-D array. .tolist() gives an array's items as Python values.
    group_of = groups.tolist() if isinstance(groups, (np.ndarray, torch.Tensor)) else list(groups)
    if not len(predicted) == len(actual) == len(group_of):
        raise ValueError(
            f"predictions, labels and groups must have one entry per example; got lengths "
            f"{len(predicted)}, {len(actual)} and {len(group_of)}"
        )
    if len(predicted) == 0:
        raise ValueError("fairness metrics need at least one example")

    # The positions of each group's examples, in first-seen order; a dict compares the keys as
    # Python does (so "A" and "a" are two groups).
    positions: dict[Any, list[int]] = {}
    for position, group in enumerate(group_of):
        positions.setdefault(group, []).append(position)

    per_group: dict[Any, dict[str, float | int]] = {}
    for group, members in sorted(positions.items()):  # MISTAKE: 1 < '1' is a TypeError
        mask = np.zeros(len(group_of), dtype=bool)
        mask[members] = True
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
