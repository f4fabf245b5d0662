"""Decoy for plot_data_drift: bins by hand with width (high - low) / bins, which divides by zero when every value is the same.

caught_by: test_tuples_equal_values_and_samples_left_unchanged
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from matplotlib.figure import Figure


def plot_data_drift(
    reference: Sequence[float],
    current: Sequence[float],
    bins: int = 10,
) -> tuple[Figure, float]:
    if bins < 1:
        raise ValueError("bins must be at least 1")
    for sample in (reference, current):
        if len(sample) == 0 or not all(math.isfinite(value) for value in sample):
            raise ValueError("each sample needs finite values")
    low = min(min(reference), min(current))
    high = max(max(reference), max(current))
    width = (high - low) / bins  # MISTAKE: zero when every value is the same

    def fractions(sample: Sequence[float]) -> list[float]:
        counts = [0] * bins
        for value in sample:
            counts[min(int((value - low) / width), bins - 1)] += 1
        return [count / len(sample) for count in counts]

    p, q = fractions(reference), fractions(current)
    psi = sum((max(b, 1e-4) - max(a, 1e-4)) * math.log(max(b, 1e-4) / max(a, 1e-4)) for a, b in zip(p, q))
    edges = [low + i * width for i in range(bins)]
    figure = Figure()
    axes = figure.add_subplot()
    axes.bar(edges, p, width=width, align="edge", alpha=0.5, label="reference")
    axes.bar(edges, q, width=width, align="edge", alpha=0.5, label="current")
    axes.set_title(f"PSI = {psi:.3f}")
    axes.legend()
    return figure, psi
