"""Alternative: Counter-based n-gram counts, categorical bars with pyplot, a per-setting loop."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure


def plot_generation_diversity(samples: Mapping[str, Sequence[str]], n: int = 2) -> Figure:
    if n <= 0 or len(samples) == 0 or any(len(texts) == 0 for texts in samples.values()):
        raise ValueError("need n >= 1 and at least one text per setting")
    scores = {}
    for name, texts in samples.items():
        counts: Counter[tuple[str, ...]] = Counter()
        for text in texts:
            words = text.split()
            counts.update(tuple(words[i : i + n]) for i in range(len(words) - n + 1))
        total = sum(counts.values())
        scores[name] = len(counts) / total if total else 0.0
    fig, ax = plt.subplots()
    ax.bar(list(scores), list(scores.values()))
    ax.set_ylim(0.0, 1.0)
    ax.set_ylabel(f"distinct-{n} (unique / total {n}-grams)")
    return fig
