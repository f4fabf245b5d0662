"""Hidden checks: plot_confusion_matrix."""

from __future__ import annotations

import numpy as np
import pytest

from pytest_tfkatas.checks.helpers import expect_colour_scale_spans_the_data, expect_figure
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises, fail

SENTIMENT = {0: "NEGATIVE", 1: "POSITIVE"}
#: The NLI labels in the order of a shuffled model: ids 0..2 listed out of order, and "neutral"
#: never predicted nor true in the data below.
NLI = {2: "neutral", 0: "entailment", 1: "contradiction"}


def matrix(labels, predictions, id2label) -> np.ndarray:
    ids = sorted(id2label)
    counts = np.zeros((len(ids), len(ids)), dtype=int)
    for true, predicted in zip(labels, predictions, strict=True):
        counts[ids.index(int(true)), ids.index(int(predicted))] += 1
    return counts


def drawn(kata, figure):
    __tracebackhide__ = True
    expect_figure(kata, figure)
    with_images = [axes for axes in figure.get_axes() if axes.get_images()]
    images = [image for axes in with_images for image in axes.get_images()]
    expect(
        len(images) == 1,
        kata,
        got=f"a figure with {len(images)} images",
        expected="one image, drawn with imshow",
    )
    if not images:
        fail("unreachable")
    return with_images[0], images[0]


def check(kata, labels, predictions, id2label) -> None:
    __tracebackhide__ = True
    figure = kata(labels, predictions, id2label)
    axes, image = drawn(kata, figure)
    counts = matrix(labels, predictions, id2label)
    data = np.asarray(image.get_array(), dtype=float)
    tip = None
    if data.shape == counts.shape and np.array_equal(data, counts.T):
        tip = "rows are the true labels and columns the predictions: counts[true, predicted]."
    elif data.shape != counts.shape:
        tip = "every id of id2label gets a row and a column, even one with no example."
    expect(
        data.shape == counts.shape and np.array_equal(data, counts),
        kata,
        got=f"an image of shape {data.shape}: {data.astype(int).tolist() if data.size < 50 else '...'}",
        expected=f"the counts {counts.tolist()}: rows true labels, columns predicted, ids {sorted(id2label)}",
        tip=tip,
    )
    names = [id2label[i] for i in sorted(id2label)]
    xticks = [label.get_text() for label in axes.get_xticklabels()]
    yticks = [label.get_text() for label in axes.get_yticklabels()]
    expect(
        xticks == names and yticks == names,
        kata,
        got=f"x tick labels {xticks}, y tick labels {yticks}",
        expected=f"{names} on both axes: the names of the ids in increasing order",
        tip="ax.set_xticks(range(n), labels=names) and the same for y, names in sorted(id2label)'s order.",
    )
    expect(
        "predicted" in axes.get_xlabel().lower() and "true" in axes.get_ylabel().lower(),
        kata,
        got=f"x axis label {axes.get_xlabel()!r}, y axis label {axes.get_ylabel()!r}",
        expected="an x axis labelled 'predicted' and a y axis labelled 'true'",
    )
    texts = {(round(t.get_position()[0]), round(t.get_position()[1])): t.get_text() for t in axes.texts}
    wanted = {
        (column, row): str(counts[row, column]) for row in range(len(names)) for column in range(len(names))
    }
    expect(
        texts == wanted,
        kata,
        got=f"cell texts {dict(sorted(texts.items()))}",
        expected=f"{dict(sorted(wanted.items()))}: each cell's count at its centre (x is the column)",
        tip="ax.text(column, row, str(count), ha='center', va='center') for every cell.",
    )
    off_centre = sorted(
        {(t.get_ha(), t.get_va()) for t in axes.texts} - {("center", "center"), ("center", "center_baseline")}
    )
    expect(
        not off_centre,
        kata,
        got=f"cell texts aligned (ha, va) = {off_centre}",
        expected="each count centred on its cell: ha='center', va='center'",
        tip="ax.text(column, row, str(count), ha='center', va='center'): by default a text starts "
        "at its point (left, baseline).",
    )
    low, high = image.norm.vmin, image.norm.vmax
    expect_colour_scale_spans_the_data(kata, image, suggestion="vmin=0, vmax=the largest count")
    expect(
        low == 0 and high == counts.max(),
        kata,
        got=f"a colour scale from {low} to {high}",
        expected=f"a colour scale from 0 to {counts.max()}, the largest count",
        tip="vmin=0, vmax=counts.max().",
    )
    expect_no_files_written(kata)


def test_a_two_label_classifier(kata):
    labels = [0, 0, 1, 1, 1, 0, 1]
    predictions = [0, 1, 1, 1, 1, 0, 1]  # not symmetric: the transpose is another matrix
    check(kata, labels, predictions, SENTIMENT)
    # Every cell counted at least once: the colour scale must still start at 0.
    check(kata, [0, 0, 1, 1, 0, 1, 0], [0, 1, 1, 0, 0, 1, 1], SENTIMENT)


def test_ids_out_of_order_a_label_never_seen_and_tuples(kata):
    labels = (0, 0, 1, 1, 0, 0)
    predictions = (0, 1, 1, 1, 0, 0)
    check(kata, labels, predictions, NLI)


def test_ids_that_are_not_positions(kata):
    """Ids 3, 5 and 7: the ids are sorted to give rows and columns 0, 1 and 2, not used as
    positions; 4 is between them but not an id."""
    id2label = {7: "high", 3: "low", 5: "mid"}
    check(kata, [3, 7, 7, 5, 3], [3, 7, 5, 5, 7], id2label)
    expect_raises(kata, ValueError, [3, 4], [3, 3], id2label, because="the id 4 is not in id2label")


def test_numpy_arrays_and_a_single_example(kata):
    check(kata, np.array([1, 2, 2, 0, 2]), np.array([1, 2, 0, 0, 2]), {0: "a", 1: "b", 2: "c"})
    check(kata, [1], [0], SENTIMENT)


@pytest.mark.parametrize(
    ("labels", "predictions", "because"),
    [
        ([], [], "there are no examples"),
        ([0, 1], [0], "2 labels but 1 prediction"),
        ([0, 3], [0, 1], "the id 3 is not in id2label"),
        ([0, 1], [0, -1], "the id -1 is not in id2label"),
    ],
    ids=["no examples", "lengths differ", "unknown label", "unknown prediction"],
)
def test_bad_input_raises_value_error(kata, labels, predictions, because):
    expect_raises(kata, ValueError, labels, predictions, SENTIMENT, because=because)
