"""Hidden checks: plot_data_drift."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from pytest_tfkatas.checks.helpers import figure_axes
from pytest_tfkatas.harness import describe, expect, expect_no_files_written, expect_raises

PSI_TIP = (
    "bin both samples on shared edges, np.histogram_bin_edges(np.concatenate([reference, current]), bins), "
    "take each bin's fraction of its sample (0 counts as 1e-4), then PSI = sum((q - p) * ln(q / p)) with "
    "p the reference's fractions and q the current's."
)


def drift(kata, reference, current, bins):
    """Call the kata; ``bins=None`` calls it with its default."""
    result = kata(reference, current) if bins is None else kata(reference, current, bins=bins)
    from matplotlib.figure import Figure

    ok = isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], Figure)
    expect(
        ok, kata, got=describe(result), expected="a tuple (figure, psi) of a matplotlib Figure and a float"
    )
    figure, psi = result
    expect(
        isinstance(psi, (float, np.floating)),
        kata,
        got=f"psi = {psi!r} ({type(psi).__name__})",
        expected="the PSI as a float: float(...) of the numpy sum",
    )
    return figure, float(psi)


def expected_psi(reference, current, bins) -> float:
    """The PSI computed bin by bin, with plain Python arithmetic."""
    low, high = min(*reference, *current), max(*reference, *current)
    edges = np.histogram_bin_edges([low, high], bins=bins)

    def fractions(sample) -> list[float]:
        counts = [0] * bins
        for value in sample:
            i = min(int(np.searchsorted(edges, value, side="right")) - 1, bins - 1)
            counts[i] += 1
        return [count / len(sample) for count in counts]

    p, q = fractions(reference), fractions(current)
    return sum(
        (max(b, 1e-4) - max(a, 1e-4)) * math.log(max(b, 1e-4) / max(a, 1e-4))
        for a, b in zip(p, q, strict=True)
    )


@pytest.mark.parametrize(
    ("reference", "current", "bins", "psi", "how"),
    [
        (
            [1, 1, 2, 2],
            [1, 2, 2, 2],
            2,
            0.25 * math.log(3),
            "p = [1/2, 1/2], q = [1/4, 3/4]: PSI = ln(3) / 4",
        ),
        ([0.5, 1.5, 2.5, 3.5], [3.5, 2.5, 1.5, 0.5], 4, 0.0, "the same values in another order: PSI = 0"),
        (
            [0, 0, 0, 1],
            [1, 1, 1, 1],
            2,
            (0.75 - 1e-4) * math.log(0.75 / 1e-4) + 0.75 * math.log(4),
            "p = [3/4, 1/4], q = [0 -> 0.0001, 1]",
        ),
        (
            [0, 1, 2, 3],
            [2, 3, 4, 5],
            5,
            2 * (0.25 - 1e-4) * math.log(0.25 / 1e-4) + (0.5 - 1e-4) * math.log(0.5 / 1e-4),
            "edges 0, 1, 2, 3, 4, 5: p = [1/4, 1/4, 1/4, 1/4, 0], q = [0, 0, 1/4, 1/4, 1/2]",
        ),
    ],
    ids=["ln3 over 4", "no drift", "an empty bin", "shifted"],
)
def test_the_psi_of_hand_made_samples(kata, reference, current, bins, psi, how):
    _, got = drift(kata, reference, current, bins)
    expect(
        abs(got - psi) < 1e-9,
        kata,
        got=f"psi = {got!r}",
        expected=f"{psi!r} ({how})",
        tip=PSI_TIP,
    )


def test_tuples_equal_values_and_samples_left_unchanged(kata):
    """Samples are any sequences (a tuple and a list here, which cannot be added together). Every
    value the same: numpy.histogram_bin_edges then spans value - 0.5 to value + 0.5, and the PSI
    is 0. The caller's samples are left as they were."""
    cases = [
        ((4, 1, 3, 2), [2.0, 2.0, 3.5, 1.0], 3, expected_psi((4, 1, 3, 2), [2.0, 2.0, 3.5, 1.0], 3)),
        ((2.0, 2.0, 2.0), [2.0, 2.0], 4, 0.0),
    ]
    for reference, current, bins, psi in cases:
        before = list(current)
        _, got = drift(kata, reference, current, bins)
        expect(
            abs(got - psi) < 1e-9 and current == before,
            kata,
            got=f"psi = {got!r}" + ("" if current == before else f", and current changed to {current!r}"),
            expected=f"{psi!r}, with the samples left as they were"
            + (": every value is 2.0, so both samples fill the same bin" if psi == 0.0 else ""),
            tip="np.histogram_bin_edges(np.concatenate([reference, current]), bins) takes any sequences "
            "and handles equal values; reference + current fails for a tuple and a list.",
        )


@pytest.mark.parametrize("bins", [None, 1], ids=["the default 10 bins", "one bin"])
def test_ten_bins_by_default_and_one_is_allowed(kata, bins):
    reference, current = list(range(20)), [value + 7 for value in range(20)]
    _, got = drift(kata, reference, current, bins)
    psi = expected_psi(reference, current, bins or 10)
    expect(
        abs(got - psi) < 1e-9,
        kata,
        got=f"psi = {got!r}",
        expected=f"{psi!r}: the PSI over {bins or 10} bins" + (" (the default)" if bins is None else ""),
        tip=PSI_TIP if bins == 1 else "keep the signature's default bins=10.",
    )


def test_the_psi_of_drifted_token_lengths(kata):
    rng = np.random.default_rng(123)
    reference = rng.poisson(12, size=300).tolist()
    current = rng.poisson(15, size=200).tolist()
    _, got = drift(kata, reference, current, 8)
    psi = expected_psi(reference, current, 8)
    expect(abs(got - psi) < 1e-9, kata, got=f"psi = {got!r}", expected=f"{psi!r}", tip=PSI_TIP)


def label_of(container) -> str:
    """The legend label of a bar container: ax.bar labels the container, ax.hist its first bar."""
    label = container.get_label()
    if label.startswith("_") and len(container.patches) > 0:
        label = container.patches[0].get_label()
    return label


def test_both_samples_are_drawn_as_fractions_on_shared_bins(kata):
    rng = np.random.default_rng(7)
    reference = rng.normal(0.6, 0.1, size=80).tolist()
    current = rng.normal(0.75, 0.1, size=50).tolist()
    figure, _ = drift(kata, reference, current, 6)
    axes = figure_axes(kata, figure, 1, expected="one Axes")
    containers = {label_of(c): c for c in axes[0].containers}
    expect(
        {"reference", "current"} <= set(containers),
        kata,
        got=f"bar groups labelled {sorted(containers)}",
        expected="two groups of bars labelled 'reference' and 'current'",
        tip='ax.bar(..., label="reference") (or ax.hist(..., label="reference")), the same for current.',
    )
    edges = np.histogram_bin_edges(np.concatenate([reference, current]), bins=6)
    for name, sample in (("reference", reference), ("current", current)):
        bars = sorted(containers[name].patches, key=lambda bar: bar.get_x())
        heights = [float(bar.get_height()) for bar in bars]
        lefts = [float(bar.get_x()) for bar in bars]
        fractions = np.histogram(sample, bins=edges)[0] / len(sample)
        ok = (
            len(bars) == 6
            and np.allclose(heights, fractions)
            and np.allclose(lefts, edges[:-1])
            and np.isclose(bars[-1].get_x() + bars[-1].get_width(), edges[-1])
        )
        tip = None
        if len(bars) == 6 and np.allclose(heights, fractions * len(sample)):
            tip = "draw fractions (counts / len(sample)): samples of different sizes must be comparable."
        elif not ok:
            tip = (
                "both samples need the same edges, those of both samples together: "
                "np.histogram_bin_edges(np.concatenate([reference, current]), bins)."
            )
        expect(
            ok,
            kata,
            got=f"{name} bars of heights {np.round(heights, 4).tolist()} from {np.round(lefts, 4).tolist()}",
            expected=(
                f"heights {np.round(fractions, 4).tolist()} from {np.round(edges[:-1], 4).tolist()}: "
                f"the {name} sample's fractions on the shared edges"
            ),
            tip=tip,
        )


def test_the_title_shows_the_psi_and_a_legend_names_the_samples(kata):
    reference, current = [1, 1, 2, 2, 3, 3], [2, 3, 3, 3, 3, 4]
    figure, psi = drift(kata, reference, current, 3)
    axes = figure.get_axes()[0]
    title = axes.get_title()
    numbers = [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?", title)]
    expect(
        ("psi" in title.lower() or "stability" in title.lower())
        and any(abs(n - psi) < 0.01 for n in numbers),
        kata,
        got=f"the title {title!r}",
        expected=f"a title that shows the PSI, e.g. 'PSI = {psi:.3f}'",
    )
    legend = axes.get_legend()
    texts = sorted(t.get_text() for t in legend.get_texts()) if legend else []
    expect(
        texts == ["current", "reference"],
        kata,
        got=f"legend entries {texts}" if legend else "no legend",
        expected="a legend with 'reference' and 'current'",
        tip="ax.legend() after drawing the labelled bars.",
    )
    expect_no_files_written(kata)


@pytest.mark.parametrize(
    ("reference", "current", "bins", "because"),
    [
        ([], [1.0, 2.0], 10, "the reference sample is empty"),
        ([1.0, 2.0], [], 10, "the current sample is empty"),
        ([1.0, float("nan")], [1.0, 2.0], 10, "a NaN cannot be binned"),
        ([1.0, 2.0], [1.0, float("inf")], 10, "an infinite value cannot be binned"),
        ([1.0, 2.0], [1.0, 2.0], 0, "bins=0 is less than 1"),
    ],
    ids=["empty reference", "empty current", "nan", "inf", "zero bins"],
)
def test_bad_input_raises_value_error(kata, reference, current, bins, because):
    expect_raises(kata, ValueError, reference, current, bins=bins, because=because)
