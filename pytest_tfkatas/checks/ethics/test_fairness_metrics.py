"""Hidden checks: fairness_metrics."""

from __future__ import annotations

import math
import numbers

import numpy as np
import pytest
import torch

from pytest_tfkatas.harness import describe, expect, expect_raises

# Two groups, worked out by hand:
#   a: labels 1 1 0 0, predictions 1 0 0 1 -> accuracy 2/4, positive rate 2/4, TPR 1/2
#   b: labels 1 1 1 0 0 0, predictions 1 1 0 1 0 0 -> accuracy 4/6, positive rate 3/6, TPR 2/3
GROUPS = ["a", "a", "a", "a", "b", "b", "b", "b", "b", "b"]
LABELS = [1, 1, 0, 0, 1, 1, 1, 0, 0, 0]
PREDICTIONS = [1, 0, 0, 1, 1, 1, 0, 1, 0, 0]
PER_GROUP = {
    "a": {"count": 4, "accuracy": 1 / 2, "positive_rate": 1 / 2, "true_positive_rate": 1 / 2},
    "b": {"count": 6, "accuracy": 2 / 3, "positive_rate": 1 / 2, "true_positive_rate": 2 / 3},
}
GAPS = {"demographic_parity_difference": 0.0, "equal_opportunity_difference": 1 / 6}

# Three groups, positive_label=0 (the favourable outcome is class 0), as tensors and an array:
#   x: labels 0 1 0, predictions 0 0 1 -> accuracy 1/3, positive rate 2/3, TPR 1/2
#   y: labels 0 0 1, predictions 1 0 1 -> accuracy 2/3, positive rate 1/3, TPR 1/2
#   z: labels 0 1 0, predictions 0 1 0 -> accuracy 1,   positive rate 2/3, TPR 1
GROUPS_3 = ["x", "y", "z", "x", "y", "z", "x", "y", "z"]
LABELS_3 = [0, 0, 0, 1, 0, 1, 0, 1, 0]
PREDICTIONS_3 = [0, 1, 0, 0, 0, 1, 1, 1, 0]
PER_GROUP_3 = {
    "x": {"count": 3, "accuracy": 1 / 3, "positive_rate": 2 / 3, "true_positive_rate": 1 / 2},
    "y": {"count": 3, "accuracy": 2 / 3, "positive_rate": 1 / 3, "true_positive_rate": 1 / 2},
    "z": {"count": 3, "accuracy": 1.0, "positive_rate": 2 / 3, "true_positive_rate": 1.0},
}
GAPS_3 = {"demographic_parity_difference": 1 / 3, "equal_opportunity_difference": 1 / 2}

METRICS = ("count", "accuracy", "positive_rate", "true_positive_rate")
TIPS = {
    "accuracy": "accuracy = mean(prediction == label) over the group's examples.",
    "positive_rate": "positive rate = mean(prediction == positive_label): how often the group gets it.",
    "true_positive_rate": (
        "true positive rate = mean(prediction == positive_label) over the group's examples whose "
        "label is positive_label (recall, not precision)."
    ),
    "count": "count = the number of examples of the group.",
}


def close(got, expected: float) -> bool:
    """A number (a Python or numpy int or float: the contract asks for a number, not its Python
    type; a bool or a tensor is not one) equal to ``expected``, to float32 precision: a rate
    computed as a float32 mean (2/3 is off by 2e-8) is as right as a float64 one."""
    return (
        isinstance(got, numbers.Real)
        and not isinstance(got, (bool, np.bool_))
        and math.isclose(float(got), expected, abs_tol=1e-6)
    )


def rounded(value):
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, float):
        return round(value, 4)
    return value if isinstance(value, (int, str)) else describe(value)


def check_per_group(kata, result, expected_per_group) -> None:
    per_group = result.get("per_group") if isinstance(result, dict) else None
    expect(
        isinstance(per_group, dict) and set(per_group) == set(expected_per_group),
        kata,
        got=str(rounded(result)) if isinstance(result, dict) else describe(result),
        expected=(
            "a dict with 'per_group' (one dict of metrics per group, keyed by "
            f"{list(expected_per_group)}), 'demographic_parity_difference' and "
            "'equal_opportunity_difference'"
        ),
        tip=(
            "accuracy per group alone says nothing about who gets the positive outcome: report the "
            "positive rate and the true positive rate of every group, and the gaps between groups."
        ),
    )
    for group, expected in expected_per_group.items():
        got = per_group[group]
        for metric in METRICS:
            value = got.get(metric) if isinstance(got, dict) else None
            expect(
                close(value, expected[metric]),
                kata,
                got=f"per_group[{group!r}] = {rounded(got)}",
                expected=f"per_group[{group!r}][{metric!r}] == {round(expected[metric], 4)} "
                f"(all: {rounded(expected)})",
                tip=TIPS[metric],
            )


def check_gaps(kata, result, expected_gaps) -> None:
    for name, expected in expected_gaps.items():
        value = result.get(name)
        expect(
            close(value, expected),
            kata,
            got=f"{name} = {rounded(value)}",
            expected=f"{name} == {round(expected, 4)}",
            tip=(
                "a gap is the largest rate minus the smallest, over all groups: never negative, "
                "and the same whatever order the groups come in."
            ),
        )


def test_every_group_gets_its_exact_rates(kata):
    result = kata(list(PREDICTIONS), list(LABELS), list(GROUPS))
    check_per_group(kata, result, PER_GROUP)


def test_the_gaps_between_groups_are_exact(kata):
    result = kata(list(PREDICTIONS), list(LABELS), list(GROUPS))
    check_per_group(kata, result, PER_GROUP)
    check_gaps(kata, result, GAPS)


@pytest.mark.parametrize("kind", ["tensors", "arrays"])
def test_tensors_arrays_three_groups_and_another_positive_label(kata, kind):
    make = torch.tensor if kind == "tensors" else np.array
    predictions, labels, groups = make(PREDICTIONS_3), make(LABELS_3), np.array(GROUPS_3)
    before = [value.clone() if kind == "tensors" else value.copy() for value in (predictions, labels)]
    result = kata(predictions, labels, groups, positive_label=0)
    check_per_group(kata, result, PER_GROUP_3)
    check_gaps(kata, result, GAPS_3)
    changed = [
        name
        for name, now, then in zip(("predictions", "labels"), (predictions, labels), before, strict=True)
        if now.tolist() != then.tolist()
    ]
    changed += ["groups"] if groups.tolist() != GROUPS_3 else []
    expect(
        not changed,
        kata,
        got=f"the call changed the caller's {', '.join(changed)}",
        expected="the inputs left as they were: a metric reads them",
        tip=(
            "np.asarray (and torch.as_tensor) return the caller's own array or tensor when they can: "
            "compute new arrays (predictions == positive_label) rather than writing into them."
        ),
    )


def test_with_several_classes_a_prediction_is_correct_only_on_the_exact_class(kata):
    """Three classes, positive_label=2, worked out by hand:
    p: labels 2 0 1 2, predictions 2 1 1 0 -> accuracy 2/4, positive rate 1/4, TPR 1/2
    q: labels 2 1 0 2, predictions 2 0 0 2 -> accuracy 3/4, positive rate 2/4, TPR 1
    (predicting 1 for a 0 is wrong, although neither is the positive label)."""
    result = kata([2, 1, 1, 0, 2, 0, 0, 2], [2, 0, 1, 2, 2, 1, 0, 2], ["p"] * 4 + ["q"] * 4, positive_label=2)
    check_per_group(
        kata,
        result,
        {
            "p": {"count": 4, "accuracy": 1 / 2, "positive_rate": 1 / 4, "true_positive_rate": 1 / 2},
            "q": {"count": 4, "accuracy": 3 / 4, "positive_rate": 1 / 2, "true_positive_rate": 1.0},
        },
    )
    check_gaps(kata, result, {"demographic_parity_difference": 1 / 4, "equal_opportunity_difference": 1 / 2})


def test_a_single_example_is_measured(kata):
    result = kata([1], [1], ["a"])
    check_per_group(
        kata, result, {"a": {"count": 1, "accuracy": 1.0, "positive_rate": 1.0, "true_positive_rate": 1.0}}
    )
    check_gaps(kata, result, {"demographic_parity_difference": 0.0, "equal_opportunity_difference": 0.0})


def test_integer_group_keys_in_a_tuple_and_a_shuffled_order(kata):
    """Groups may be any hashable value (here ints, first seen in the order 7, 3) and the inputs
    any sequence (tuples): the keys are the values of groups themselves."""
    order = [9, 0, 5, 2, 7, 1, 8, 3, 6, 4]
    keys = {"a": 7, "b": 3}
    result = kata(
        tuple(PREDICTIONS[i] for i in order),
        tuple(LABELS[i] for i in order),
        tuple(keys[GROUPS[i]] for i in order),
    )
    check_per_group(kata, result, {keys[group]: metrics for group, metrics in PER_GROUP.items()})
    check_gaps(kata, result, GAPS)


@pytest.mark.parametrize(
    "keys",
    [
        {"a": 1, "b": "1"},
        {"a": ("f", "18-30"), "b": ("m", "18-30")},
        {"x": "A", "y": "a", "z": "a "},
        {"a": None, "b": "b"},
    ],
    ids=["int 1 and str '1'", "tuples", "cased and spaced strings", "None for unknown"],
)
def test_any_hashable_value_is_a_group_key(kata, keys):
    """The keys are the values of groups as given, compared as dict keys are: 1 and "1", or "A",
    "a" and "a ", are different groups; a tuple (intersectional groups) is one key; None (an
    unknown attribute) is a group too."""
    if len(keys) == 2:
        groups, labels, predictions, expected, gaps = GROUPS, LABELS, PREDICTIONS, PER_GROUP, GAPS
    else:
        groups, labels, predictions, expected, gaps = GROUPS_3, LABELS_3, PREDICTIONS_3, PER_GROUP_3, GAPS_3
    positive_label = 1 if len(keys) == 2 else 0
    given = [keys[group] for group in groups]
    result = kata(list(predictions), list(labels), given, positive_label=positive_label)
    per_group = result.get("per_group") if isinstance(result, dict) else None
    found = list(per_group) if isinstance(per_group, dict) else None
    expect(
        found is not None and len(found) == len(keys) and set(found) == set(keys.values()),
        kata,
        got=f"per_group keyed by {found}" if found is not None else describe(result),
        expected=f"per_group keyed by the values of groups themselves: {list(keys.values())}",
        tip=(
            "key the groups by their values as given (dict.fromkeys(groups) lists them once each): "
            "str(), lower(), strip() and np.asarray(groups) change them, and pandas groupby drops "
            "None unless dropna=False."
        ),
    )
    check_per_group(kata, result, {keys[group]: metrics for group, metrics in expected.items()})
    check_gaps(kata, result, gaps)


@pytest.mark.parametrize(
    ("predictions", "labels", "groups", "because"),
    [
        (PREDICTIONS[:-1], LABELS, GROUPS, "there are 9 predictions for 10 labels"),
        (PREDICTIONS, LABELS, [*GROUPS, "b"], "there are 11 groups for 10 examples"),
        (PREDICTIONS, LABELS[:-2], GROUPS, "there are 8 labels for 10 predictions"),
    ],
    ids=["a prediction missing", "a group too many", "labels missing"],
)
def test_mismatched_lengths_raise_value_error(kata, predictions, labels, groups, because):
    expect_raises(kata, ValueError, list(predictions), list(labels), list(groups), because=because)


@pytest.mark.parametrize(
    ("predictions", "labels", "groups", "because"),
    [
        ([], [], [], "there are no examples to measure"),
        ([1, 0, 1, 0], [1, 0, 0, 0], ["a", "a", "b", "b"], "group 'b' has no positive label: its TPR is 0/0"),
    ],
    ids=["no examples", "a group without positive labels"],
)
def test_undefined_metrics_raise_value_error(kata, predictions, labels, groups, because):
    expect_raises(kata, ValueError, predictions, labels, groups, because=because)
