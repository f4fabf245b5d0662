"""Hidden checks: plot_generation_diversity."""

from __future__ import annotations

import copy
import math
import types

import pytest

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import only_axes
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises

# Counted by hand. "greedy": 2 x 5 bigrams, 5 different -> 0.5; 12 words, 5 different -> 5/12.
# "sampled": bigrams the cat, cat sat | the cat, cat ran, ran home: 4 of 5 -> 0.8; words 5 of 7.
# "short": no text has two words, so no bigram at all -> 0.0; its 2 words differ -> 1.0.
SAMPLES = {
    "greedy": ["the cat sat on the mat", "the cat sat on the mat"],
    "sampled": ["the cat sat", "the cat ran home"],
    "short": ["hello", "hi"],
}
DISTINCT = {1: [5 / 12, 5 / 7, 1.0], 2: [0.5, 0.8, 0.0]}
# What the usual mistakes give for n=2, for the tips.
JOINED = [6 / 11, 5 / 6, 1.0]  # the texts joined: "mat the", "sat the" count as bigrams
PER_TEXT_MEAN = [1.0, 1.0, 0.0]  # distinct-2 of each text, averaged


def heights_of(axes) -> list[float]:
    from matplotlib.patches import Rectangle

    return [float(patch.get_height()) for patch in axes.patches if isinstance(patch, Rectangle)]


def same(got: list[float], expected: list[float]) -> bool:
    return len(got) == len(expected) and all(
        math.isclose(g, e, abs_tol=1e-9) for g, e in zip(got, expected, strict=True)
    )


def distinct_by_hand(texts: list[str], n: int) -> float:
    grams = []
    for text in texts:
        words = text.split()
        grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return len(set(grams)) / len(grams) if grams else 0.0


@pytest.mark.parametrize("n", [2, 1, None], ids=["n=2", "n=1", "the default n=2"])
def test_bar_heights_are_the_distinct_n_of_each_setting(kata, n):
    figure = kata(copy.deepcopy(SAMPLES)) if n is None else kata(copy.deepcopy(SAMPLES), n=n)
    heights = heights_of(only_axes(kata, figure))
    n = n or 2
    expected = DISTINCT[n]
    tip = None
    if same(heights, JOINED) and n == 2:
        tip = "take the n-grams of each text on its own: joining the texts invents n-grams across them."
    elif same(heights, PER_TEXT_MEAN) and n == 2:
        tip = "count the n-grams of all a setting's texts together, not each text's ratio averaged."
    elif heights and max(heights) > 1:
        tip = "distinct-n is a ratio: unique n-grams divided by all n-grams."
    expect(
        same(heights, expected),
        kata,
        got=f"bar heights {[round(h, 4) for h in heights]}",
        expected=f"{[round(e, 4) for e in expected]}: distinct-{n} of 'greedy', 'sampled' and 'short'",
        tip=tip,
    )


def test_it_follows_the_texts_it_is_given(kata):
    lines = zoo.corpus()
    samples = {"first": lines[:3], "middle": lines[10:16], "last": lines[-5:], "repeated": lines[:2] * 3}
    heights = heights_of(only_axes(kata, kata(samples, n=3)))
    expected = [distinct_by_hand(texts, 3) for texts in samples.values()]
    expect(
        same(heights, expected),
        kata,
        got=f"bar heights {[round(h, 4) for h in heights]}",
        expected=f"{[round(e, 4) for e in expected]}: distinct-3 of each setting, in the order given",
    )


@pytest.mark.parametrize(("n", "expected"), [(1, [3 / 4, 2 / 4]), (2, [2 / 2, 2 / 3])], ids=["n=1", "n=2"])
def test_words_keep_their_case_and_split_on_any_whitespace(kata, n, expected):
    """Texts in tuples, in a read-only mapping. "The" and "the" are different words; two spaces, a
    tab or a newline separate words like one space (text.split())."""
    samples = types.MappingProxyType({"cased": ("The cat", "the cat"), "spaced": ("a  b\ta\nb",)})
    heights = heights_of(only_axes(kata, kata(samples, n=n)))
    tip = None
    if heights and math.isclose(heights[0], 2 / 4 if n == 1 else 1 / 2):
        tip = "compare the words as they are: lower-casing makes 'The' and 'the' one word."
    elif len(heights) == 2 and not math.isclose(heights[1], expected[1]):
        tip = "text.split() with no argument splits on any run of whitespace; split(' ') leaves empty words."
    expect(
        same(heights, expected),
        kata,
        got=f"bar heights {[round(h, 4) for h in heights]}",
        expected=f"{[round(e, 4) for e in expected]}: distinct-{n} of ('The cat', 'the cat') and "
        "('a  b\\ta\\nb',)",
        tip=tip,
    )


def test_ticks_and_axis_name_the_settings_and_the_metric(kata):
    axes = only_axes(kata, kata(copy.deepcopy(SAMPLES), n=2))
    labels = [label.get_text() for label in axes.get_xticklabels()]
    expect(
        labels == list(SAMPLES),
        kata,
        got=f"x tick labels {labels}",
        expected=f"{list(SAMPLES)}, the settings in the order given",
        tip="ax.set_xticks(range(len(samples)), labels=list(samples)).",
    )
    ylabel = axes.get_ylabel()
    expect(
        "distinct-2" in ylabel,
        kata,
        got=f"y axis label {ylabel!r}",
        expected="a y axis labelled 'distinct-2'",
    )
    bottom, top = axes.get_ylim()
    expect(
        math.isclose(bottom, 0, abs_tol=1e-9) and math.isclose(top, 1, abs_tol=1e-9),
        kata,
        got=f"y limits ({bottom:.3g}, {top:.3g})",
        expected="y limits (0, 1): distinct-n is a ratio, and a fixed scale makes charts comparable",
        tip="ax.set_ylim(0, 1).",
    )


def test_the_figure_is_returned_not_saved(kata):
    figure = kata({"a": ["one two three"]}, n=1)
    expect_no_files_written(kata)
    only_axes(kata, figure)


@pytest.mark.parametrize(
    ("samples", "n", "because"),
    [
        (SAMPLES, 0, "n-grams need n >= 1"),
        ({}, 2, "there is no setting to plot"),
        ({"greedy": ["a b c"], "sampled": []}, 2, "the setting 'sampled' has no texts"),
        ({"greedy": ("a b c",), "sampled": ()}, 2, "the setting 'sampled' has no texts (an empty tuple)"),
        (SAMPLES, -1, "n-grams need n >= 1"),
    ],
    ids=["n=0", "no settings", "a setting without texts", "an empty tuple of texts", "n=-1"],
)
def test_bad_input_raises_value_error(kata, samples, n, because):
    expect_raises(kata, ValueError, copy.deepcopy(samples), n=n, because=because)
