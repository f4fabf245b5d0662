"""Alternative: scikit-learn's confusion_matrix with every label listed, drawn by its
ConfusionMatrixDisplay (imshow, a count in each cell, "True label" and "Predicted label")."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure
from sklearn.metrics import ConfusionMatrixDisplay, confusion_matrix


def plot_confusion_matrix(
    labels: Sequence[int],
    predictions: Sequence[int],
    id2label: Mapping[int, str],
) -> Figure:
    if len(labels) == 0 or len(labels) != len(predictions):
        raise ValueError("labels and predictions must be equally long, and not empty")
    ids = sorted(id2label)
    if not {int(v) for v in [*labels, *predictions]} <= set(ids):
        raise ValueError("an id is not in id2label")
    counts = confusion_matrix(labels, predictions, labels=ids)
    figure = Figure()
    axes = figure.add_subplot()
    display = ConfusionMatrixDisplay(counts, display_labels=[id2label[i] for i in ids])
    display.plot(ax=axes, colorbar=True, im_kw={"vmin": 0})
    return figure
