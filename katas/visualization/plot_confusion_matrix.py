"""Kata: a confusion matrix of a classifier's predictions (seed question 113).

Run the checks with:  pytest --katas plot_confusion_matrix
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure


def plot_confusion_matrix(
    labels: Sequence[int],
    predictions: Sequence[int],
    id2label: Mapping[int, str],
) -> Figure:
    """Draw the confusion matrix of ``predictions`` against the true ``labels``.

    Args:
        labels: the true label id of each example (a list, a tuple, a numpy array...).
        predictions: the predicted label id of each example, in the same order.
        id2label: the names of the label ids, e.g. a model's ``config.id2label``; every id in it
            gets a row and a column, even one that no example has.

    Returns:
        A matplotlib Figure with one Axes holding one image (``imshow``) of the counts: the
        cell in row ``i`` and column ``j`` counts the examples whose true label is the ``i``-th
        id and whose prediction is the ``j``-th id, the ids in increasing order. The x tick
        labels are the names of the predicted labels, the y tick labels those of the true
        labels, in that order; the x axis is labelled with the word "predicted", the y axis with
        "true". Each cell shows its count as text at its centre, and the colour scale runs from
        0 to the largest count. Do not show the figure or save it.

    Raises:
        ValueError: if there are no examples, if ``labels`` and ``predictions`` differ in
            length, or if an id is not in ``id2label``.
    """
    # TODO: count (true, predicted) pairs over the sorted ids, imshow the counts, label and annotate.
    raise NotImplementedError
