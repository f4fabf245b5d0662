"""Hidden checks: plot_length_distribution."""

from __future__ import annotations

import statistics

import numpy as np
import pytest
import torch

from pytest_tfkatas.checks.helpers import only_axes
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises


@pytest.fixture(scope="module")
def generated(tiny_gpt2) -> list[str]:
    """Continuations sampled from the tiny GPT-2, each cut at its first line end: varied lengths."""
    model, tokenizer = tiny_gpt2.load_model(), tiny_gpt2.load_tokenizer()
    texts = []
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(115)
        for prompt in ("Once upon a time", "The old librarian"):
            inputs = tokenizer(prompt, return_tensors="pt")
            with torch.no_grad():
                out = model.generate(**inputs, do_sample=True, num_return_sequences=12, max_new_tokens=24)
            for row in out[:, inputs["input_ids"].shape[1] :]:
                line = tokenizer.decode(row, skip_special_tokens=True).split("\n")[0]
                if line.strip():
                    texts.append(line)
    return texts


def token_lengths(tokenizer, texts: list[str]) -> list[int]:
    return [len(tokenizer.encode(text, add_special_tokens=False)) for text in texts]


def histogram_of(axes) -> tuple[list[float], list[float]]:
    """The bars' heights and centres, left to right. Centres, not edges: a histogram drawn with
    narrower bars (ax.hist(..., rwidth=0.9)) has the same bins and counts."""
    from matplotlib.patches import Rectangle

    bars = sorted((p for p in axes.patches if isinstance(p, Rectangle)), key=lambda bar: bar.get_x())
    heights = [float(bar.get_height()) for bar in bars]
    centres = [float(bar.get_x() + bar.get_width() / 2) for bar in bars]
    return heights, centres


def expect_histogram(kata, axes, lengths: list[int], bins: int, tip: str) -> None:
    counts, edges = np.histogram(lengths, bins=bins)
    centres = (edges[:-1] + edges[1:]) / 2
    heights, drawn = histogram_of(axes)
    ok = len(heights) == bins and np.allclose(heights, counts) and np.allclose(drawn, centres)
    expect(
        ok,
        kata,
        got=f"{len(heights)} bars of heights {[round(h, 3) for h in heights]}, "
        f"centred at {[round(c, 2) for c in drawn]}",
        expected=(
            f"{bins} bars of heights {counts.tolist()} centred at {[round(float(c), 2) for c in centres]}: "
            f"numpy.histogram of the lengths in tokens {sorted(lengths)}, in {bins} bins"
        ),
        tip=tip if len(heights) != bins or tip != BINS_TIP else None,
    )


BINS_TIP = "pass bins to ax.hist."


def length_tip(kata_heights_edges: tuple[list[float], list[float]], texts, tokenizer, bins: int) -> str:
    """Name the likely mistake when the bars match another way of measuring the texts."""
    _, centres = kata_heights_edges
    alternatives = {
        "words": [len(text.split()) for text in texts],
        "characters": [len(text) for text in texts],
        "special tokens": [len(tokenizer.encode(text)) for text in texts],
        "padding": [max(token_lengths(tokenizer, texts))] * len(texts),
    }
    for name, lengths in alternatives.items():
        if lengths == token_lengths(tokenizer, texts):
            continue
        other_edges = np.histogram_bin_edges(lengths, bins=bins)
        other_centres = (other_edges[:-1] + other_edges[1:]) / 2
        if len(centres) == len(other_centres) and np.allclose(centres, other_centres):
            if name == "padding":
                return "every text has the longest text's length: do not pad, each row keeps its own length."
            if name == "special tokens":
                return (
                    "the tokenizer adds special tokens ([CLS], [SEP]) the model did not generate: "
                    "tokenize with add_special_tokens=False."
                )
            return (
                f"these look like {name}: measure length in tokens, "
                "len(tokenizer(text, add_special_tokens=False)['input_ids'])."
            )
    return (
        "a length is len(ids) for ids in tokenizer(texts, add_special_tokens=False)['input_ids'] "
        "(no padding); draw them with ax.hist(lengths, bins=bins)."
    )


def test_the_bars_count_generated_texts_by_length_in_tokens(kata, tiny_gpt2, generated):
    tokenizer = tiny_gpt2.load_tokenizer()
    axes = only_axes(kata, kata(list(generated), tokenizer, bins=5))
    tip = length_tip(histogram_of(axes), generated, tokenizer, 5)
    expect_histogram(kata, axes, token_lengths(tokenizer, generated), 5, tip)


def test_special_tokens_are_not_counted(kata, tiny_bert, generated):
    tokenizer = tiny_bert.load_tokenizer()
    texts = generated[:15]
    axes = only_axes(kata, kata(texts, tokenizer, bins=4))
    tip = length_tip(histogram_of(axes), texts, tokenizer, 4)
    expect_histogram(kata, axes, token_lengths(tokenizer, texts), 4, tip)


def test_every_text_counts_as_it_is(kata, tiny_gpt2, generated):
    """A tuple of texts; an empty text (0 tokens), a repeated one, and one longer than the
    tokenizer's model_max_length, each counted as it is: not skipped, merged or truncated."""
    tokenizer = tiny_gpt2.load_tokenizer()
    long_text = " ".join(generated)
    while len(tokenizer.encode(long_text)) <= tokenizer.model_max_length:
        long_text += " " + long_text
    texts = (*generated[:8], "", generated[0], long_text)
    lengths = token_lengths(tokenizer, list(texts))
    axes = only_axes(kata, kata(texts, tokenizer, bins=4))
    expect_histogram(
        kata,
        axes,
        lengths,
        4,
        "every text counts with its full length: an empty text has 0 tokens, a repeated text counts "
        "twice, and a text longer than tokenizer.model_max_length is not truncated (no truncation=True).",
    )


@pytest.mark.parametrize("bins", [1, 3, 8, None], ids=["1", "3", "8", "the default 10"])
def test_bins_sets_the_number_of_bars(kata, tiny_gpt2, generated, bins):
    tokenizer = tiny_gpt2.load_tokenizer()
    figure = kata(list(generated), tokenizer) if bins is None else kata(list(generated), tokenizer, bins=bins)
    expect_histogram(kata, only_axes(kata, figure), token_lengths(tokenizer, generated), bins or 10, BINS_TIP)


def test_a_dashed_line_marks_the_mean_length(kata, tiny_gpt2, generated):
    tokenizer = tiny_gpt2.load_tokenizer()
    texts = generated[5:]
    axes = only_axes(kata, kata(texts, tokenizer, bins=5))
    mean = statistics.mean(token_lengths(tokenizer, texts))
    drawn = [
        line for line in axes.get_lines() if len(set(np.asarray(line.get_xdata(), dtype=float).tolist())) == 1
    ]
    positions = [float(np.asarray(line.get_xdata(), dtype=float)[0]) for line in drawn]
    expect(
        any(abs(x - mean) < 1e-6 for x in positions),
        kata,
        got=f"vertical lines at {positions}" if positions else "no vertical line",
        expected=f"a vertical line at the mean length in tokens, {mean:.4f}",
        tip='ax.axvline(mean, linestyle="--").',
    )
    line = drawn[[abs(x - mean) < 1e-6 for x in positions].index(True)]
    expect(
        line.get_linestyle() == "--",
        kata,
        got=f"a mean line with linestyle {line.get_linestyle()!r}",
        expected="a dashed line ('--')",
    )


def test_the_axes_are_labelled_and_nothing_is_saved(kata, tiny_gpt2, generated):
    axes = only_axes(kata, kata(list(generated), tiny_gpt2.load_tokenizer(), bins=4))
    xlabel, ylabel = axes.get_xlabel(), axes.get_ylabel()
    expect(
        "token" in xlabel.lower() and "text" in ylabel.lower(),
        kata,
        got=f"x label {xlabel!r}, y label {ylabel!r}",
        expected="x label 'length (tokens)', y label 'texts'",
        tip="ax.set_xlabel(...) and ax.set_ylabel(...): say the unit of the length.",
    )
    expect_no_files_written(kata)


@pytest.mark.parametrize(
    ("texts", "bins", "error", "because"),
    [
        ([], 10, ValueError, "there are no texts"),
        (["a short text", "another text"], 0, ValueError, "bins=0 is less than 1"),
        ("one single text", 10, TypeError, "texts is one string, not a sequence of texts"),
    ],
    ids=["no texts", "zero bins", "a single string"],
)
def test_bad_input_is_refused(kata, tiny_gpt2, texts, bins, error, because):
    expect_raises(kata, error, texts, tiny_gpt2.load_tokenizer(), bins=bins, because=because)
