"""Decoy for plot_confusion_matrix: uses the ids themselves as row and column positions, which holds only for ids 0 to n-1.

caught_by: test_ids_that_are_not_positions
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure


def plot_confusion_matrix(
    labels: Sequence[int],
    predictions: Sequence[int],
    id2label: Mapping[int, str],
) -> Figure:
    labels, predictions = list(labels), list(predictions)
    if not labels:
        raise ValueError("there are no examples")
    if len(labels) != len(predictions):
        raise ValueError(f"{len(labels)} labels but {len(predictions)} predictions")
    ids = sorted(id2label)  # every id gets its row and column, in increasing order
    index = {label_id: position for position, label_id in enumerate(ids)}
    unknown = sorted({int(value) for value in labels + predictions} - set(range(len(ids))))
    if unknown:
        raise ValueError(f"ids {unknown} are not in id2label ({ids})")
    counts = np.zeros((len(ids), len(ids)), dtype=int)
    for true, predicted in zip(labels, predictions, strict=True):
        counts[int(true), int(predicted)] += (
            1  # MISTAKE: an id is not a position  # rows: truth, columns: prediction
        )

    figure = Figure(figsize=(1.2 + 0.9 * len(ids), 1.0 + 0.9 * len(ids)), layout="constrained")
    axes = figure.add_subplot()
    image = axes.imshow(counts, cmap="Blues", vmin=0, vmax=max(int(counts.max()), 1))
    names = [id2label[label_id] for label_id in ids]
    axes.set_xticks(range(len(ids)), labels=names)
    axes.set_yticks(range(len(ids)), labels=names)
    axes.set_xlabel("predicted label")
    axes.set_ylabel("true label")
    threshold = counts.max() / 2
    for row in range(len(ids)):
        for column in range(len(ids)):
            colour = "white" if counts[row, column] > threshold else "black"
            axes.text(column, row, str(counts[row, column]), ha="center", va="center", color=colour)
    figure.colorbar(image, ax=axes)
    return figure
