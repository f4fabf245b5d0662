"""Hidden checks: plot_token_statistics."""

from __future__ import annotations

import math

import numpy as np
import pytest
from datasets import Dataset

from pytest_tfkatas import zoo
from pytest_tfkatas.checks.helpers import expect_figure, only_axes
from pytest_tfkatas.harness import describe, expect, expect_no_files_written, expect_raises

#: A limit that about half of the corpus lines exceed with the GPT-2 tokenizer.
LIMIT = 35
KEYS = ["count", "fraction_over_max_length", "max", "mean", "median", "min", "p95"]


def corpus_dataset(column: str = "text", size: int | None = None) -> Dataset:
    texts = zoo.corpus()[:size]
    return Dataset.from_dict({"id": list(range(len(texts))), column: texts})


def token_counts(tokenizer, texts: list[str]) -> np.ndarray:
    """What the model sees, counted one text at a time: ids with special tokens, untruncated."""
    return np.array([len(tokenizer(text)["input_ids"]) for text in texts])


def split(kata, result):
    """(figure, stats) from the result, with stats checked to hold every key as a number."""
    __tracebackhide__ = True
    expect(
        isinstance(result, tuple) and len(result) == 2,
        kata,
        got=describe(result),
        expected="a (figure, stats) tuple",
    )
    figure, stats = result
    keys = sorted(stats) if isinstance(stats, dict) else None
    expect(
        keys == KEYS,
        kata,
        got=f"stats with keys {keys}" if keys is not None else f"stats = {describe(stats)}",
        expected=f"a dict with the keys {KEYS}",
    )
    return figure, stats


def histogram_axes(kata, figure):
    __tracebackhide__ = True
    expect_figure(kata, figure, expected="a matplotlib Figure first")
    return only_axes(kata, figure)


def test_the_numbers_summarize_the_token_counts(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    _, stats = split(kata, kata(corpus_dataset("sentence"), tokenizer, "sentence", 10))
    counts = token_counts(tokenizer, zoo.corpus())
    wanted = {
        "count": len(counts),
        "fraction_over_max_length": 0.0,
        "max": counts.max(),
        "mean": counts.mean(),
        "median": np.median(counts),
        "min": counts.min(),
        "p95": np.percentile(counts, 95),
    }
    got = {
        key: float(value) if isinstance(value, (int, float, np.number)) else value
        for key, value in stats.items()
    }
    tip = None
    if got.get("max") == wanted["max"] - 2 and got.get("min") == wanted["min"] - 2:
        tip = (
            "count what the model sees, special tokens included: len(tokenizer(text)['input_ids']); "
            "tokenizer.tokenize(text) leaves out [CLS] and [SEP]."
        )
    elif got.get("max") == wanted["max"] and not math.isclose(got.get("p95", -1), wanted["p95"]):
        tip = "np.percentile(counts, 95) interpolates between the two nearest counts."
    expect(
        all(
            isinstance(got[k], float) and math.isclose(got[k], float(v), abs_tol=1e-9)
            for k, v in wanted.items()
        ),
        kata,
        got=str({k: round(v, 4) if isinstance(v, float) else describe(v) for k, v in sorted(got.items())}),
        expected=str({k: round(float(v), 4) for k, v in wanted.items()}),
        tip=tip,
    )


def test_every_row_counts_as_it_is_repeats_empty_and_spaced_texts_included(kata, tiny_gpt2):
    """A dataset made with select() (a shuffled index over a larger table) whose rows repeat, are
    empty, or have spaces around them (byte-level BPE has tokens for those spaces); an even number
    of rows whose two middle counts differ, so that the median is their mean."""
    tokenizer = tiny_gpt2.load_tokenizer()
    corpus = zoo.corpus()
    rows = [
        corpus[0],
        corpus[0],
        "",
        "   " + corpus[1] + "   ",
        corpus[2],
        "Hi",
        *corpus[40:47],
        corpus[47] + "\n",
    ]
    table = Dataset.from_dict({"text": rows + corpus[20:40]})
    order = np.random.default_rng(3).permutation(len(rows)).tolist()
    dataset = table.select(order)
    texts = [rows[i] for i in order]
    counts = token_counts(tokenizer, texts)
    middle = np.sort(counts)[len(counts) // 2 - 1 : len(counts) // 2 + 1]
    assert len(counts) % 2 == 0 and middle[0] != middle[1], "the check needs two different middle counts"
    tokenizer.model_max_length = int(np.sort(counts)[-3])  # on a count: more than, not as many as
    _, stats = split(kata, kata(dataset, tokenizer))
    wanted = {
        "count": len(counts),
        "fraction_over_max_length": float((counts > tokenizer.model_max_length).mean()),
        "max": counts.max(),
        "mean": counts.mean(),
        "median": np.median(counts),
        "min": counts.min(),
        "p95": np.percentile(counts, 95),
    }
    got = {k: float(v) if isinstance(v, (int, float)) else v for k, v in stats.items()}
    tip = (
        "count every text of list(dataset[text_column]) as it is: no filtering, no de-duplicating, "
        "no strip()."
    )
    if got["count"] == wanted["count"] and all(got[k] == wanted[k] for k in ("min", "max", "mean")):
        tip = "np.median(counts): the median of an even number of counts is the mean of the two middle ones."
    expect(
        all(isinstance(v, float) and math.isclose(v, float(wanted[k]), abs_tol=1e-9) for k, v in got.items()),
        kata,
        got=str({k: round(v, 4) if isinstance(v, float) else describe(v) for k, v in sorted(got.items())}),
        expected=str({k: round(float(v), 4) for k, v in sorted(wanted.items())})
        + f": each of the {len(counts)} rows counted as it is (repeats, the empty text and spaces "
        "included); the median of an even number of counts is the mean of the two middle ones",
        tip=tip,
    )


def test_the_fraction_over_max_length_uses_the_tokenizers_limit(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    tokenizer.model_max_length = LIMIT
    _, stats = split(kata, kata(corpus_dataset(), tokenizer))
    counts = token_counts(tokenizer, zoo.corpus())
    wanted = float((counts > LIMIT).mean())
    got = stats["fraction_over_max_length"]
    tip = None
    if got == 0 or stats["max"] <= LIMIT < counts.max():
        tip = "count without truncation: a truncated count never exceeds the limit."
    expect(
        isinstance(got, float) and math.isclose(got, wanted) and stats["max"] == counts.max(),
        kata,
        got=f"fraction_over_max_length={got}, max={stats['max']}",
        expected=(
            f"fraction_over_max_length={wanted:.4f} ({int((counts > LIMIT).sum())} of {len(counts)} texts "
            f"have more than tokenizer.model_max_length={LIMIT} tokens), max={counts.max()}"
        ),
        tip=tip,
    )


@pytest.mark.parametrize("bins", [7, 12, 1, None], ids=["7", "12", "1", "the default 20"])
def test_the_histogram_counts_the_texts_per_bin(kata, tiny_gpt2, bins):
    from matplotlib.patches import Rectangle

    tokenizer = tiny_gpt2.load_tokenizer()
    result = (
        kata(corpus_dataset(), tokenizer, "text")
        if bins is None
        else kata(corpus_dataset(), tokenizer, "text", bins)
    )
    bins = bins or 20
    figure, _ = split(kata, result)
    bars = sorted(
        (patch for patch in histogram_axes(kata, figure).patches if isinstance(patch, Rectangle)),
        key=lambda bar: bar.get_x(),
    )
    heights, lefts = [bar.get_height() for bar in bars], [bar.get_x() for bar in bars]
    wanted, edges = np.histogram(token_counts(tokenizer, zoo.corpus()), bins=bins)
    expect(
        len(bars) == bins
        and np.allclose(heights, wanted)
        and np.allclose(lefts, edges[:-1])
        and np.allclose([bar.get_width() for bar in bars], np.diff(edges)),
        kata,
        got=(
            f"{len(bars)} bars of heights {[round(float(h), 2) for h in heights]} "
            f"starting at {np.round(lefts, 2).tolist()}"
        ),
        expected=f"{bins} bars of heights {wanted.tolist()} starting at {np.round(edges[:-1], 2).tolist()}",
        tip=f"ax.hist(counts, bins=bins) with bins={bins}, on the counts of every text.",
    )


def test_the_mean_is_marked_and_the_axes_are_labelled(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    figure, _ = split(kata, kata(corpus_dataset(size=30), tokenizer, "text", 5))
    axes = histogram_axes(kata, figure)
    mean = float(token_counts(tokenizer, zoo.corpus()[:30]).mean())
    verticals = [
        line.get_xdata()[0]
        for line in axes.get_lines()
        if len(set(np.atleast_1d(line.get_xdata()).tolist())) == 1
    ]
    expect(
        any(math.isclose(float(x), mean, abs_tol=1e-6) for x in verticals),
        kata,
        got=f"vertical lines at {[float(x) for x in verticals]}",
        expected=f"a vertical line at the mean, {mean:.4f}",
        tip="ax.axvline(mean).",
    )
    xlabel, ylabel = axes.get_xlabel(), axes.get_ylabel()
    expect(
        "token" in xlabel.lower() and "text" in ylabel.lower(),
        kata,
        got=f"x label {xlabel!r}, y label {ylabel!r}",
        expected="an x label that mentions tokens and a y label that mentions texts",
    )


def test_the_figure_is_returned_not_saved(kata, tiny_gpt2):
    figure, _ = split(kata, kata(corpus_dataset(size=10), tiny_gpt2.load_tokenizer(), "text", 4))
    expect_no_files_written(kata)
    histogram_axes(kata, figure)


def test_a_missing_column_no_rows_or_no_bins_raises_value_error(kata, tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    expect_raises(
        kata,
        ValueError,
        corpus_dataset("sentence"),
        tokenizer,
        "text",
        because="the dataset has no 'text' column (its texts are in 'sentence')",
        match="text",
    )
    expect_raises(
        kata,
        ValueError,
        Dataset.from_dict({"text": []}),
        tokenizer,
        because="an empty dataset has no statistics",
    )
    expect_raises(
        kata, ValueError, corpus_dataset(), tokenizer, "text", 0, because="bins=0 draws no histogram"
    )
