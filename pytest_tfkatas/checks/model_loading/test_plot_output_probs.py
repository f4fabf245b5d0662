"""Hidden checks: plot_output_probs."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.checks.helpers import only_axes
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises

TEXT = "Once upon a time a small robot"


def next_token_distribution(model, tokenizer, text: str, top_k: int) -> tuple[list[float], list[str]]:
    inputs = tokenizer(text, return_tensors="pt")
    with torch.no_grad():
        probs = model(**inputs).logits[0, -1].softmax(dim=-1)
    values, ids = torch.topk(probs, top_k)
    return values.tolist(), [tokenizer.decode([i]) for i in ids.tolist()]


def bars_of(axes):
    from matplotlib.patches import Rectangle

    return [patch for patch in axes.patches if isinstance(patch, Rectangle)]


def test_it_draws_one_bar_per_token(kata, gpt2):
    model, tokenizer = gpt2
    figure = kata(model, tokenizer, TEXT, top_k=7)
    bars = bars_of(only_axes(kata, figure))
    expect(len(bars) == 7, kata, got=f"{len(bars)} bars", expected="7 bars, one per token (top_k=7)")


@pytest.mark.parametrize(
    "top_k", [None, 1, "vocabulary"], ids=["default 10", "top_k 1", "the whole vocabulary"]
)
def test_top_k_defaults_to_10_and_may_be_1_or_the_whole_vocabulary(kata, gpt2, top_k):
    model, tokenizer = gpt2
    count = {None: 10, 1: 1, "vocabulary": model.config.vocab_size}[top_k]
    figure = kata(model, tokenizer, TEXT) if top_k is None else kata(model, tokenizer, TEXT, top_k=count)
    bars = bars_of(only_axes(kata, figure))
    expect(
        len(bars) == count,
        kata,
        got=f"{len(bars)} bars",
        expected=f"{count} bars"
        + (
            " (the default top_k is 10)"
            if top_k is None
            else f": top_k={count} lies between 1 and the vocabulary "
            f"size {model.config.vocab_size}, both included"
        ),
    )


def test_the_y_axis_is_labelled_probability(kata, gpt2):
    model, tokenizer = gpt2
    label = only_axes(kata, kata(model, tokenizer, TEXT, top_k=4)).get_ylabel()
    expect(
        label.strip().lower() == "probability",
        kata,
        got=f"the y axis labelled {label!r}",
        expected="the y axis labelled 'probability'",
        tip='axes.set_ylabel("probability").',
    )


def test_bar_heights_are_the_next_token_probabilities(kata, gpt2):
    model, tokenizer = gpt2
    figure = kata(model, tokenizer, TEXT, top_k=5)
    heights = [float(bar.get_height()) for bar in bars_of(only_axes(kata, figure))]
    expected, _ = next_token_distribution(model, tokenizer, TEXT, 5)
    close = len(heights) == 5 and all(abs(h - e) < 1e-5 for h, e in zip(heights, expected, strict=True))
    tip = None
    if heights and abs(sum(heights) - 1) < 1e-3 and len(heights) > 5:
        tip = "keep only the top_k most likely tokens (torch.topk)."
    elif not close:
        tip = (
            "the next token is predicted at the last position, logits[0, -1]; "
            "apply softmax over the vocabulary (dim=-1) and sort the bars, most likely first."
        )
    expect(
        close,
        kata,
        got=f"bar heights {[round(h, 5) for h in heights]}",
        expected=f"{[round(e, 5) for e in expected]}, the 5 largest next-token probabilities, largest first",
        tip=tip,
    )


def test_tick_labels_name_the_tokens(kata, gpt2):
    model, tokenizer = gpt2
    axes = only_axes(kata, kata(model, tokenizer, TEXT, top_k=6))
    labels = [label.get_text() for label in axes.get_xticklabels()]
    _, expected = next_token_distribution(model, tokenizer, TEXT, 6)
    expect(
        labels == expected,
        kata,
        got=f"x tick labels {labels}",
        expected=f"{expected}, each token decoded with tokenizer.decode([token_id])",
        tip="ax.set_xticks(range(top_k), labels=tokens).",
    )
    ylabel = axes.get_ylabel()
    expect(
        "probability" in ylabel.lower(),
        kata,
        got=f"y axis label {ylabel!r}",
        expected="a y axis labelled 'probability'",
    )


def test_the_figure_is_returned_not_saved(kata, gpt2):
    model, tokenizer = gpt2
    figure = kata(model, tokenizer, "The robot read", top_k=3)
    expect_no_files_written(kata)
    only_axes(kata, figure)


@pytest.mark.parametrize("top_k", [0, -1, 10**6])
def test_a_bad_top_k_raises_value_error(kata, gpt2, top_k):
    model, tokenizer = gpt2
    expect_raises(
        kata,
        ValueError,
        model,
        tokenizer,
        TEXT,
        top_k=top_k,
        because=f"top_k={top_k} is not between 1 and the vocabulary size",
    )
