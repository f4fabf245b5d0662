"""Hidden checks: plot_dataset_statistics."""

from __future__ import annotations

import numpy as np

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import figure_axes, side_by_side
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises


def make_dataset(names: list[str], labels: list[int], text_column: str = "text", label_column: str = "label"):
    from datasets import ClassLabel, Dataset, Features, Value

    lines = zoo.corpus()
    texts = [lines[(7 * i) % len(lines)] for i in range(len(labels))]
    features = Features({text_column: Value("string"), label_column: ClassLabel(names=names)})
    return Dataset.from_dict({text_column: texts, label_column: labels}, features=features)


def expected_statistics(dataset, tokenizer, text_column: str = "text", label_column: str = "label"):
    """Examples per class and mean token length per class, computed row by row."""
    classes = dataset.features[label_column].num_classes
    counts, totals = [0] * classes, [0] * classes
    for row in dataset:
        counts[row[label_column]] += 1
        totals[row[label_column]] += len(tokenizer.tokenize(row[text_column]))
    return counts, [t / c if c else 0.0 for t, c in zip(totals, counts, strict=True)]


def two_axes(kata, figure):
    axes = figure_axes(
        kata,
        figure,
        2,
        expected="a figure with two Axes: examples per class (left), mean length in tokens (right)",
    )
    return side_by_side(
        kata, axes, expected="two Axes side by side: examples per class (left), mean length (right)"
    )


def heights(axes) -> list[float]:
    from matplotlib.patches import Rectangle

    bars = sorted((p for p in axes.patches if isinstance(p, Rectangle)), key=lambda bar: bar.get_x())
    return [float(bar.get_height()) for bar in bars]


# Classes in an order that is not alphabetical, and one without examples.
NAMES = ["positive", "negative", "mixed", "neutral"]
LABELS = [0, 1, 1, 0, 3, 1, 0, 1, 1, 3, 1]


def test_the_left_bars_count_the_examples_of_each_class(kata, tiny_bert):
    dataset = make_dataset(NAMES, LABELS)
    left, _ = two_axes(kata, kata(dataset, tiny_bert.load_tokenizer()))
    counts, _ = expected_statistics(dataset, tiny_bert.load_tokenizer())
    got = heights(left)
    tip = None
    if len(got) == len(counts) - 1:
        tip = "a class without examples still gets a bar (of height 0): count over feature.num_classes."
    elif sorted(got) == sorted(counts) and got != counts:
        tip = "keep the ClassLabel's order, feature.names, not an order of your own."
    expect(
        got == counts,
        kata,
        got=f"left bar heights {got}",
        expected=f"{counts}, the examples of each class {NAMES}, in that order",
        tip=tip,
    )


def test_the_right_bars_are_mean_lengths_in_tokens(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    dataset = make_dataset(NAMES, LABELS)
    _, right = two_axes(kata, kata(dataset, tokenizer))
    _, means = expected_statistics(dataset, tokenizer)
    got = heights(right)
    ok = len(got) == len(means) and np.allclose(got, means)
    tip = None
    if ok:
        pass
    elif len(got) == len(means) and np.allclose([g - 2 if g else 0 for g in got], means):
        tip = "the tokenizer adds [CLS] and [SEP] to every text: tokenize with add_special_tokens=False."
    else:
        tip = (
            "the length of a text is its number of tokens, len(tokenizer(text, add_special_tokens=False)"
            "['input_ids']), not of words or characters; average them per class."
        )
    expect(
        ok,
        kata,
        got=f"right bar heights {[round(g, 4) for g in got]}",
        expected=f"{[round(m, 4) for m in means]}, the mean length in tokens of each class {NAMES}",
        tip=tip,
    )


def test_other_columns_and_another_tokenizer(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    names = ["one star", "two stars", "three stars"]
    labels = [2, 2, 0, 1, 2, 0, 2]
    dataset = make_dataset(names, labels, text_column="review", label_column="stars")
    left, right = two_axes(kata, kata(dataset, tokenizer, text_column="review", label_column="stars"))
    counts, means = expected_statistics(dataset, tokenizer, "review", "stars")
    got_counts, got_means = heights(left), heights(right)
    expect(
        got_counts == counts and len(got_means) == len(means) and np.allclose(got_means, means),
        kata,
        got=f"left bars {got_counts}, right bars {[round(g, 4) for g in got_means]}",
        expected=f"left bars {counts}, right bars {[round(m, 4) for m in means]}",
        tip="read the columns named by text_column and label_column.",
    )


def test_every_row_counts_as_it_is_and_the_dataset_is_left_unchanged(kata, tiny_gpt2):
    """An empty text (0 tokens), a repeated row, and a text longer than the tokenizer's
    model_max_length: each counts with its full length, none is skipped or truncated."""
    from datasets import ClassLabel, Dataset, Features, Value

    tokenizer = tiny_gpt2.load_tokenizer()
    lines = zoo.corpus()
    long_text = " ".join(lines)
    while len(tokenizer.encode(long_text)) <= tokenizer.model_max_length:
        long_text += " " + long_text
    texts = [lines[0], "", lines[1], lines[1], long_text, lines[2]]
    labels = [0, 1, 1, 1, 0, 2]
    features = Features({"text": Value("string"), "label": ClassLabel(names=["ham", "spam", "unsure"])})
    dataset = Dataset.from_dict({"text": texts, "label": labels}, features=features)
    format_before, rows_before = dict(dataset.format), dataset.to_dict()
    left, right = two_axes(kata, kata(dataset, tokenizer))
    counts, means = expected_statistics(dataset, tokenizer)
    got_counts, got_means = heights(left), heights(right)
    expect(
        got_counts == counts and len(got_means) == len(means) and np.allclose(got_means, means),
        kata,
        got=f"left bars {got_counts}, right bars {[round(g, 4) for g in got_means]}",
        expected=f"left bars {counts}, right bars {[round(m, 4) for m in means]}",
        tip="every row counts as it is: an empty text has 0 tokens, and a text longer than "
        "tokenizer.model_max_length keeps all its tokens (no truncation=True).",
    )
    reformatted = dict(dataset.format) != format_before
    expect(
        not reformatted and dataset.to_dict() == rows_before,
        kata,
        got=f"the dataset's format changed to {dict(dataset.format)}"
        if reformatted
        else "the dataset's rows changed by the call",
        expected=f"the dataset left as it was: the same rows, format {format_before}",
        tip="set_format() changes the caller's dataset in place; with_format() returns a new one."
        if reformatted
        else None,
    )


def test_the_bars_are_named_after_the_classes(kata, tiny_bert):
    dataset = make_dataset(NAMES, LABELS)
    left, right = two_axes(kata, kata(dataset, tiny_bert.load_tokenizer()))
    for side, ax in (("left", left), ("right", right)):
        labels = [label.get_text() for label in ax.get_xticklabels()]
        expect(
            labels == NAMES,
            kata,
            got=f"{side} x tick labels {labels}",
            expected=f"the class names {NAMES}, from dataset.features[label_column].names",
            tip="ax.bar(feature.names, values) names each bar after its class.",
        )
    labels = (left.get_ylabel().lower(), right.get_ylabel().lower())
    expect(
        "example" in labels[0] and "token" in labels[1],
        kata,
        got=f"y labels {labels}",
        expected="'examples' on the left, 'mean length (tokens)' on the right",
    )
    expect_no_files_written(kata)


def test_missing_columns_raise_value_error(kata, tiny_bert):
    dataset = make_dataset(NAMES, LABELS)
    tokenizer = tiny_bert.load_tokenizer()
    expect_raises(
        kata,
        ValueError,
        dataset,
        tokenizer,
        text_column="sentence",
        because="the dataset has no column 'sentence'",
        match="sentence",
    )
    expect_raises(
        kata, ValueError, dataset, tokenizer, label_column="labels", because="there is no column 'labels'"
    )
    expect_raises(
        kata,
        ValueError,
        dataset.select([]),
        tokenizer,
        because="an empty dataset has no statistics",
    )


def test_a_label_column_that_is_not_a_class_label_raises_type_error(kata, tiny_bert):
    from datasets import Value

    dataset = make_dataset(NAMES, LABELS).cast_column("label", Value("int64"))
    expect_raises(
        kata,
        TypeError,
        dataset,
        tiny_bert.load_tokenizer(),
        because="plain integers carry no class names: the label column must be a ClassLabel",
    )
