"""Decoy for plot_generation_diversity: lower-cases the words, so "The" and "the" count as one word although the contract compares them as they are.

caught_by: test_words_keep_their_case_and_split_on_any_whitespace
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from matplotlib.figure import Figure


def _ngrams(words: list[str], n: int) -> Iterable[tuple[str, ...]]:
    # zip of n shifted views: ("a", "b", "c") with n=2 gives ("a", "b"), ("b", "c").
    return zip(*(words[i:] for i in range(n)), strict=False)


def _distinct_n(texts: Sequence[str], n: int) -> float:
    # One text at a time, so that no n-gram joins the end of a text to the start of the next.
    ngrams = [gram for text in texts for gram in _ngrams(text.lower().split(), n)]  # MISTAKE
    return len(set(ngrams)) / len(ngrams) if ngrams else 0.0


def plot_generation_diversity(samples: Mapping[str, Sequence[str]], n: int = 2) -> Figure:
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not samples:
        raise ValueError("samples is empty: give at least one setting and its texts")
    empty = [name for name, texts in samples.items() if not texts]
    if empty:
        raise ValueError(f"these settings have no texts: {empty}")
    names = list(samples)
    values = [_distinct_n(samples[name], n) for name in names]

    # A Figure made directly is not registered with pyplot: nothing global to leak or close.
    figure = Figure(figsize=(max(4.0, 1.2 * len(names)), 3.5), layout="constrained")
    axes = figure.add_subplot()
    axes.bar(range(len(names)), values)
    axes.set_xticks(range(len(names)), labels=names)
    axes.set_ylabel(f"distinct-{n}")
    axes.set_ylim(0, 1)  # a ratio: a fixed scale makes charts comparable
    axes.set_title(f"Generation diversity (distinct-{n})")
    return figure
