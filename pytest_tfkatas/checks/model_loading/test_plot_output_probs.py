"""Hidden checks: plot_output_probs."""

from __future__ import annotations

import pytest
import torch

from pytest_tfkatas.checks.helpers import only_axes
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises

TEXT = "Once upon a time a small robot"
TOLERANCE = 1e-5


def next_token_distribution(
    model, tokenizer, text: str, top_k: int, *, temperature: float = 1.0, special_tokens: bool = True
) -> tuple[list[float], list[str]]:
    inputs = tokenizer(text, return_tensors="pt", add_special_tokens=special_tokens)
    with torch.no_grad():
        probs = (model(**inputs).logits[0, -1] / temperature).softmax(dim=-1)
    values, ids = torch.topk(probs, top_k)
    return values.tolist(), [tokenizer.decode([i]) for i in ids.tolist()]


def bars_of(axes):
    from matplotlib.patches import Rectangle

    return [patch for patch in axes.patches if isinstance(patch, Rectangle)]


def drawn(kata, figure) -> list[tuple[float, str]]:
    """(height, x tick label) of each bar, leftmost first. Fails unless the figure has one Axes whose
    bars each stand at an x position of their own, with an x tick under each bar."""
    __tracebackhide__ = True
    axes = only_axes(kata, figure)
    bars = sorted(bars_of(axes), key=lambda bar: bar.get_x() + bar.get_width() / 2)
    centres = [float(bar.get_x() + bar.get_width() / 2) for bar in bars]
    shared = len({round(centre, 6) for centre in centres}) < len(centres)
    expect(
        not shared,
        kata,
        got=f"{len(bars)} bars at only {len({round(c, 6) for c in centres})} distinct x positions",
        expected=f"{len(bars)} bars side by side, each at an x position of its own",
        tip=(
            "two tokens can decode to the same text (such as '\ufffd', a piece of a character): with the "
            "tokens as the bars' x values they share one category and their bars overlap. Draw the bars "
            "at range(top_k) and name them with axes.set_xticks(range(top_k), labels=tokens)."
        ),
    )
    ticks = [(float(label.get_position()[0]), label.get_text()) for label in axes.get_xticklabels()]
    result = []
    for index, (bar, centre) in enumerate(zip(bars, centres, strict=True)):
        low, high = sorted((float(bar.get_x()), float(bar.get_x() + bar.get_width())))
        under = [(abs(x - centre), text) for x, text in ticks if low - 1e-9 <= x <= high + 1e-9]
        expect(
            bool(under),
            kata,
            got=f"no x tick under bar {index} (x {low:g} to {high:g}); ticks at {[x for x, _ in ticks]}",
            expected="an x tick under every bar, labelled with the bar's token",
            tip="axes.set_xticks(positions of the bars, labels=tokens).",
        )
        result.append((float(bar.get_height()), min(under)[1]))
    return result


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
    # The whole vocabulary holds tokens that decode to the same text: each still has its own bar.
    drawn(kata, figure)


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
    heights = [height for height, _ in drawn(kata, figure)]
    expected, _ = next_token_distribution(model, tokenizer, TEXT, 5)
    close = len(heights) == 5 and all(abs(h - e) < TOLERANCE for h, e in zip(heights, expected, strict=True))
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
        got=f"bar heights {[round(h, 5) for h in heights]}, left to right",
        expected=f"{[round(e, 5) for e in expected]}, the 5 largest next-token probabilities, largest first",
        tip=tip,
    )


def test_tick_labels_name_the_tokens(kata, gpt2):
    model, tokenizer = gpt2
    figure = kata(model, tokenizer, TEXT, top_k=6)
    labels = [label for _, label in drawn(kata, figure)]
    _, expected = next_token_distribution(model, tokenizer, TEXT, 6)
    expect(
        labels == expected,
        kata,
        got=f"x tick labels {labels} under the bars, left to right",
        expected=f"{expected}, each token decoded with tokenizer.decode([token_id])",
        tip="ax.set_xticks(range(top_k), labels=tokens).",
    )
    ylabel = only_axes(kata, figure).get_ylabel()
    expect(
        "probability" in ylabel.lower(),
        kata,
        got=f"y axis label {ylabel!r}",
        expected="a y axis labelled 'probability'",
    )


@pytest.mark.parametrize(
    ("zoo_model", "text", "top_k"),
    [
        ("tiny_gpt2", "Once upon a time ", 8),
        ("tiny_gpt2", " The robot read", 8),
        # <s> starts every text; two of the 24 tokens decode to the same '\ufffd'; its generation
        # config samples at temperature 1.5, which the logits of a forward pass know nothing of.
        ("tiny_llama_sampling", "Once upon a time ", 24),
    ],
    ids=["a trailing space", "a leading space", "a llama"],
)
def test_the_chart_follows_the_text_as_given_for_any_causal_lm(kata, request, zoo_model, text, top_k):
    tiny = request.getfixturevalue(zoo_model)
    model, tokenizer = tiny.load_model(), tiny.load_tokenizer()
    got = drawn(kata, kata(model, tokenizer, text, top_k=top_k))
    expected = next_token_distribution(model, tokenizer, text, top_k)

    def matches(heights: list[float], labels: list[str]) -> bool:
        return [label for _, label in got] == labels and all(
            abs(h - e) < TOLERANCE for (h, _), e in zip(got, heights, strict=True)
        )

    tip = None
    if matches(*next_token_distribution(model, tokenizer, text.strip(), top_k)):
        tip = "the text is the context as given: a leading or trailing space is a token of its own."
    elif matches(*next_token_distribution(model, tokenizer, text, top_k, special_tokens=False)):
        tip = "keep the special tokens: for this model tokenizer(text, return_tensors='pt') adds <s>."
    elif matches(*next_token_distribution(model, tokenizer, text, top_k, temperature=1.5)):
        tip = (
            "generate()'s scores go through the model's generation config (this one samples at "
            "temperature 1.5): take the raw logits of one forward pass, model(**inputs).logits[0, -1]."
        )
    expect(
        len(got) == top_k and matches(*expected),
        kata,
        got=f"bars {[(label, round(h, 5)) for h, label in got]}, left to right",
        expected=(
            f"{[(label, round(h, 5)) for h, label in zip(*expected, strict=True)]}: the {top_k} most likely "
            f"tokens after {text!r} with their probabilities, most likely first"
        ),
        tip=tip,
    )


def snapshot(kata, figure) -> list[tuple[float, float, str]]:
    """(x, height, tick label) of every bar and tick of the figure's one Axes."""
    axes = only_axes(kata, figure)
    bars = sorted((float(bar.get_x()), float(bar.get_height()), "bar") for bar in bars_of(axes))
    ticks = [(float(label.get_position()[0]), 0.0, label.get_text()) for label in axes.get_xticklabels()]
    return bars + ticks


def test_each_call_draws_a_figure_of_its_own(kata, gpt2):
    model, tokenizer = gpt2
    first = kata(model, tokenizer, TEXT, top_k=3)
    before = snapshot(kata, first)
    second = kata(model, tokenizer, "The robot read", top_k=5)
    tip = (
        "make a new figure on every call (matplotlib.figure.Figure() or plt.subplots()): "
        "plt.gcf() and plt.gca() return the figure the previous call drew on."
    )
    expect(
        second is not first,
        kata,
        got="the same Figure object as the call before",
        expected="a new Figure for every call",
        tip=tip,
    )
    count = len(bars_of(only_axes(kata, first)))
    expect(
        snapshot(kata, first) == before,
        kata,
        got=f"the first call's figure changed by the second call: it has {count} bars now",
        expected="the figure of an earlier call left as it was, with its 3 bars",
        tip=tip,
    )
    bars = bars_of(only_axes(kata, second))
    expect(len(bars) == 5, kata, got=f"{len(bars)} bars", expected="5 bars, one per token (top_k=5)")


def test_the_figure_is_returned_not_saved(kata, gpt2):
    model, tokenizer = gpt2
    figure = kata(model, tokenizer, "The robot read", top_k=3)
    expect_no_files_written(kata)
    only_axes(kata, figure)


@pytest.mark.parametrize("top_k", [0, -1, "vocabulary + 1", 10**6])
def test_a_bad_top_k_raises_value_error(kata, gpt2, top_k):
    model, tokenizer = gpt2
    if top_k == "vocabulary + 1":
        top_k = model.config.vocab_size + 1
    expect_raises(
        kata,
        ValueError,
        model,
        tokenizer,
        TEXT,
        top_k=top_k,
        because=f"top_k={top_k} is not between 1 and the vocabulary size {model.config.vocab_size}",
    )
