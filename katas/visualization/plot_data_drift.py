"""Kata: measure and visualize data drift with the Population Stability Index (seed question 123).

Run the checks with:  pytest --katas plot_data_drift
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure


def plot_data_drift(
    reference: Sequence[float],
    current: Sequence[float],
    bins: int = 10,
) -> tuple[Figure, float]:
    """Compare a feature's distribution in production (current) with the training data (reference).

    The feature is any number per example a Transformers service can log: the prompt's length in
    tokens, the model's confidence, a score. Drift shows as a change of its distribution.

    Both samples are binned with the same ``bins`` equal-width bins spanning the smallest to the
    largest value of the two samples together (``numpy.histogram_bin_edges`` of both samples
    concatenated). With ``p_i`` and ``q_i`` the fractions of the reference and of the current
    sample in bin ``i`` (a fraction of 0 counts as 0.0001, so that the logarithm stays finite),
    the Population Stability Index is::

        PSI = sum over bins of (q_i - p_i) * ln(q_i / p_i)

    It is 0 for identical distributions; by a common rule of thumb below 0.1 means no drift,
    0.1 to 0.25 a moderate one, above 0.25 a significant one.

    Args:
        reference: the feature's values in the reference data (e.g. the training set).
        current: its values in the current data (e.g. last week's requests).
        bins: the number of bins.

    Returns:
        ``(figure, psi)``: the PSI as a float, and a matplotlib Figure with one Axes showing two
        histograms over the same bins, as fractions of their sample (the bars of each sample add
        up to 1, the true fractions, before any 0.0001): the reference's bars labelled
        ``"reference"``, the current's ``"current"`` (``label=`` of ``ax.bar`` or ``ax.hist``), a
        legend, and a title that shows the PSI. Do not show or save the figure.

    Raises:
        ValueError: if a sample is empty or holds a value that is not finite (NaN, inf), or if
            ``bins`` is less than 1.
    """
    # TODO: bin both samples on shared edges, compute the fractions and the PSI, draw both.
    raise NotImplementedError
