"""Hidden checks: plot_attention_mask."""

from __future__ import annotations

import numpy as np
import pytest

from pytest_tfkatas.checks.helpers import expect_colour_scale_spans_the_data, expect_figure
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises, fail

TEXTS = [
    "The cat is on the mat.",
    "Hi!",
    "The attention mask tells the model which positions are real tokens.",
    "Rain fell softly on the roof.",
]


@pytest.fixture
def left_padded_gpt2(tiny_gpt2):
    tokenizer = tiny_gpt2.load_tokenizer()
    tokenizer.pad_token = tokenizer.eos_token
    tokenizer.padding_side = "left"
    return tokenizer


def drawn_mask(kata, figure) -> tuple[object, np.ndarray]:
    """The Axes that holds the figure's one image, and the image's data."""
    __tracebackhide__ = True
    expect_figure(
        kata, figure, tip="return the Figure you drew on (e.g. figure = Figure(); ax = figure.add_subplot())."
    )
    with_images = [axes for axes in figure.get_axes() if axes.get_images()]
    images = [image for axes in with_images for image in axes.get_images()]
    expect(
        len(images) == 1,
        kata,
        got=f"a figure with {len(images)} images",
        expected="one image of the mask, drawn with ax.imshow(mask)",
    )
    if not images:
        fail("unreachable")
    return with_images[0], np.asarray(images[0].get_array(), dtype=float)


def rows(mask: np.ndarray) -> list[str]:
    """A 0/1 mask as one string of digits per row, e.g. ['1111100', '1111111']."""
    return ["".join(str(int(value)) if value in (0, 1) else "?" for value in row) for row in mask]


def check_mask(kata, tokenizer, texts, data: np.ndarray) -> None:
    __tracebackhide__ = True
    wanted = np.asarray(tokenizer(texts, padding=True)["attention_mask"], dtype=float)
    tip = None
    if data.shape[0] == wanted.shape[0] and data.shape[1] > wanted.shape[1]:
        tip = (
            "padding=True pads to the longest text of the batch; "
            "padding='max_length' pads to the model's limit."
        )
    elif data.shape == wanted.shape and np.array_equal(1 - data, wanted):
        tip = "draw the attention mask itself: 1 for real tokens, 0 for padding."
    elif data.shape == wanted.shape and np.array_equal(data[:, ::-1], wanted):
        tip = (
            "let the tokenizer pad and take its attention_mask: it pads on its own padding_side, "
            "which is the left for this one."
        )
    expect(
        data.shape == wanted.shape and np.array_equal(data, wanted),
        kata,
        got=f"an image of shape {data.shape}, rows {rows(data)}",
        expected=f"the batch's attention mask, shape {wanted.shape}, rows {rows(wanted)}",
        tip=tip,
    )


def test_the_image_is_the_attention_mask_of_the_padded_batch(kata, tiny_bert):
    tokenizer = tiny_bert.load_tokenizer()
    _, data = drawn_mask(kata, kata(tokenizer, list(TEXTS)))
    check_mask(kata, tokenizer, TEXTS, data)


def test_the_colour_scale_tells_tokens_from_padding(kata, tiny_bert):
    axes, _ = drawn_mask(kata, kata(tiny_bert.load_tokenizer(), list(TEXTS)))
    expect_colour_scale_spans_the_data(kata, axes.get_images()[0], suggestion="vmin=0, vmax=1 for a mask")


def test_a_left_padding_tokenizer_puts_the_zeros_on_the_left(kata, left_padded_gpt2):
    texts = ("Привет, мир!", "A much longer text than the first one, with more tokens.", "Short")
    _, data = drawn_mask(kata, kata(left_padded_gpt2, texts))  # a tuple: any sequence of texts
    check_mask(kata, left_padded_gpt2, list(texts), data)


def test_rows_are_labelled_with_the_texts(kata, tiny_bert):
    texts = TEXTS[:3]
    axes, _ = drawn_mask(kata, kata(tiny_bert.load_tokenizer(), texts))
    labels = [label.get_text() for label in axes.get_yticklabels()]
    expect(
        labels == texts,
        kata,
        got=f"y tick labels {labels}",
        expected=f"{texts}, one per row, in order",
        tip="ax.set_yticks(range(len(texts)), labels=texts).",
    )
    xlabel = axes.get_xlabel()
    expect(
        "position" in xlabel.lower(),
        kata,
        got=f"x axis label {xlabel!r}",
        expected="an x axis labelled with the word 'position' (one column per token position)",
    )


def test_the_figure_is_returned_not_saved(kata, tiny_bert):
    figure = kata(tiny_bert.load_tokenizer(), TEXTS[:2])
    expect_no_files_written(kata)
    drawn_mask(kata, figure)


def test_no_texts_or_no_pad_token_raises_value_error(kata, tiny_bert, tiny_gpt2):
    expect_raises(kata, ValueError, tiny_bert.load_tokenizer(), [], because="there are no texts to draw")
    expect_raises(
        kata, ValueError, tiny_bert.load_tokenizer(), (), because="an empty tuple holds no texts to draw"
    )
    tokenizer = tiny_gpt2.load_tokenizer()
    expect_raises(
        kata,
        ValueError,
        tokenizer,
        list(TEXTS),
        because="this tokenizer has no pad token, so the batch cannot be padded",
        match="pad",
    )
    expect(
        tokenizer.pad_token is None,
        kata,
        got=f"the caller's tokenizer now has pad_token={tokenizer.pad_token!r}",
        expected="the caller's tokenizer unchanged: raise instead of setting a pad token on it",
    )
