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
    columns = [list(np.asarray(values).tolist()) for values in (predictions, labels)]
    # pandas groups by a number per group: it would turn None into NaN (or drop it), and
    # np.asarray would make [1, "1"] strings and tuples rows
    given = groups.tolist() if isinstance(groups, np.ndarray) else list(groups)
    keys = list(dict.fromkeys(given))
    number_of = {key: number for number, key in enumerate(keys)}
    columns.append([number_of[group] for group in given])
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
            raise ValueError(f"group {keys[group]!r} has no positive label")
        per_group[keys[group]] = {
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
