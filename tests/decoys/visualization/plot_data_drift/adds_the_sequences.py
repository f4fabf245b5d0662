"""Decoy for plot_data_drift: concatenates the samples with +, which fails for a tuple and a list (the contract takes any sequences).

caught_by: test_tuples_equal_values_and_samples_left_unchanged
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

#: The fraction an empty bin counts as in the PSI, so that ln(q / p) stays finite.
EMPTY_BIN = 1e-4


def plot_data_drift(
    reference: Sequence[float],
    current: Sequence[float],
    bins: int = 10,
) -> tuple[Figure, float]:
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    samples = {"reference": np.asarray(reference, dtype=float), "current": np.asarray(current, dtype=float)}
    for name, values in samples.items():
        if values.size == 0:
            raise ValueError(f"the {name} sample is empty")
        if not np.isfinite(values).all():
            raise ValueError(f"the {name} sample holds values that are not finite (NaN or inf)")

    # Shared edges: the two histograms are comparable only bin by bin.
    edges = np.histogram_bin_edges(reference + current, bins=bins)  # MISTAKE: + of two sequences
    fractions = {name: np.histogram(values, bins=edges)[0] / values.size for name, values in samples.items()}
    p = np.clip(fractions["reference"], EMPTY_BIN, None)
    q = np.clip(fractions["current"], EMPTY_BIN, None)
    psi = float(np.sum((q - p) * np.log(q / p)))

    figure = Figure(figsize=(6.0, 3.5), layout="constrained")
    axes = figure.add_subplot()
    for name, share in fractions.items():
        axes.bar(edges[:-1], share, width=np.diff(edges), align="edge", alpha=0.5, label=name)
    axes.set_ylabel("fraction of the sample")
    axes.set_title(f"PSI = {psi:.3f}")
    axes.legend()
    return figure, psi
