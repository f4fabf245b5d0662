"""Alternative: weighted ax.hist on the shared edges, the PSI with numpy's where for empty bins."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure


def plot_data_drift(
    reference: Sequence[float],
    current: Sequence[float],
    bins: int = 10,
) -> tuple[Figure, float]:
    ref, cur = np.array(reference, dtype=np.float64), np.array(current, dtype=np.float64)
    if bins < 1 or ref.size == 0 or cur.size == 0:
        raise ValueError("need two non-empty samples and at least one bin")
    if np.isnan(ref).any() or np.isnan(cur).any() or np.isinf(ref).any() or np.isinf(cur).any():
        raise ValueError("values must be finite")
    low, high = min(ref.min(), cur.min()), max(ref.max(), cur.max())
    edges = np.histogram_bin_edges([low, high], bins=bins)
    p = np.histogram(ref, edges)[0] / len(ref)
    q = np.histogram(cur, edges)[0] / len(cur)
    p_safe, q_safe = np.where(p == 0, 1e-4, p), np.where(q == 0, 1e-4, q)
    psi = float(((q_safe - p_safe) * np.log(q_safe / p_safe)).sum())
    fig, ax = plt.subplots()
    ax.hist(ref, bins=edges, weights=np.ones(len(ref)) / len(ref), alpha=0.6, label="reference")
    ax.hist(cur, bins=edges, weights=np.ones(len(cur)) / len(cur), alpha=0.6, label="current")
    ax.legend()
    ax.set_title(f"Population Stability Index: {psi:.4f}")
    return fig, psi
