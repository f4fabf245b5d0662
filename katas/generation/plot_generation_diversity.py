"""Kata: visualize the diversity of generated text with distinct-n (seed question 65).

Run the checks with:  pytest --katas plot_generation_diversity
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from matplotlib.figure import Figure


def plot_generation_diversity(samples: Mapping[str, Sequence[str]], n: int = 2) -> Figure:
    """Compare how diverse several decoding settings are, as a bar chart of distinct-n.

    distinct-n of a setting is the number of *different* n-grams in its texts divided by the
    number of n-grams in its texts, all its texts counted together. Words are ``text.split()``,
    compared as they are (no lower-casing); an n-gram never spans two texts. A setting whose
    texts hold no n-gram at all (every text shorter than n words) has distinct-n 0.0.

    Args:
        samples: the texts each setting generated, e.g. ``{"greedy": [...], "top_p=0.9": [...]}``.
        n: the length of the n-grams, at least 1.

    Returns:
        A matplotlib Figure with one Axes holding one bar per setting, in the order of
        ``samples``: each bar's height is the setting's distinct-n, each x tick label is the
        setting's name, the y axis is labelled ``f"distinct-{n}"`` and spans 0 to 1. Return the
        figure: do not show it or save it to a file.

    Raises:
        ValueError: if ``n`` is less than 1, if ``samples`` is empty, or if a setting has no
            texts.
    """
    # TODO: validate, compute each setting's distinct-n, draw one bar per setting.
    raise NotImplementedError
