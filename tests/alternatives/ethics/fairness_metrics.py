"""Alternative: a pandas DataFrame and groupby, one column per rate."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd
import torch


def fairness_metrics(
    predictions: Sequence[int] | np.ndarray | torch.Tensor,
    labels: Sequence[int] | np.ndarray | torch.Tensor,
    groups: Sequence[Hashable] | np.ndarray,
    *,
    positive_label: int = 1,
) -> dict[str, Any]:
    columns = [list(np.asarray(values).tolist()) for values in (predictions, labels, groups)]
    if len({len(column) for column in columns}) != 1:
        raise ValueError(f"lengths differ: {[len(column) for column in columns]}")
    if not columns[0]:
        raise ValueError("no examples")
    frame = pd.DataFrame({"prediction": columns[0], "label": columns[1], "group": columns[2]})
    frame["correct"] = frame["prediction"] == frame["label"]
    frame["predicted_positive"] = frame["prediction"] == positive_label
    frame["deserving"] = frame["label"] == positive_label

    per_group = {}
    for group, rows in frame.groupby("group", sort=False):
        deserving = rows[rows["deserving"]]
        if deserving.empty:
            raise ValueError(f"group {group!r} has no positive label")
        per_group[group] = {
            "count": len(rows),
            "accuracy": float(rows["correct"].mean()),
            "positive_rate": float(rows["predicted_positive"].mean()),
            "true_positive_rate": float(deserving["predicted_positive"].mean()),
        }
    table = pd.DataFrame.from_dict(per_group, orient="index")
    return {
        "per_group": per_group,
        "demographic_parity_difference": float(table["positive_rate"].max() - table["positive_rate"].min()),
        "equal_opportunity_difference": float(
            table["true_positive_rate"].max() - table["true_positive_rate"].min()
        ),
    }
