"""Hidden checks: plot_caption."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pytest_tfkatas.checks.helpers import (
    captioner_of,
    figure_axes,
    greedy_caption,
    noise_image,
    side_by_side,
)
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises


def caption_of(captioner, image: Image.Image, max_new_tokens: int) -> str:
    return greedy_caption(captioner, image, max_new_tokens)[0]


@pytest.fixture
def captioner(tiny_vit_gpt2):
    return captioner_of(tiny_vit_gpt2)


def panels(kata, figure):
    axes = figure_axes(
        kata,
        figure,
        2,
        expected="two Axes side by side: the image on the left, the caption on the right",
        tip="figure.subplots(1, 2) (or plt.subplots(1, 2)).",
    )
    return side_by_side(
        kata, axes, expected="two Axes side by side: the image on the left, the caption on the right"
    )


def shown_caption(axes) -> list[str]:
    """What the right panel says: its texts and its title."""
    texts = [text.get_text() for text in axes.texts]
    return texts + ([axes.get_title()] if axes.get_title() else [])


def expect_caption(kata, axes, expected: str, tip: str) -> None:
    shown = shown_caption(axes)
    if any("<|endoftext|>" in text for text in shown):
        tip = "decode with skip_special_tokens=True."
    elif len(shown) == 1 and len(shown[0]) > len(expected) and shown[0].startswith(expected):
        tip = "the caption is too long: pass max_new_tokens to generate()."
    expect(
        shown == [expected],
        kata,
        got=f"the right panel shows {shown}",
        expected=f"only the caption {expected!r}, as its text or its title",
        tip=tip,
    )


def expect_image(kata, axes, image: Image.Image) -> None:
    expected = np.asarray(image.convert("RGB"))
    images = axes.images
    expect(len(images) == 1, kata, got=f"{len(images)} images on the left", expected="one image on the left")
    drawn = np.asarray(images[0].get_array())
    tip = None
    if drawn.shape != expected.shape and drawn.ndim >= 2 and drawn.shape[-2:] == (32, 32):
        tip = "this is the processor's pixel_values, resized and normalised for the model: show the image."
    elif drawn.shape[:2] == expected.shape[:2] and drawn.shape != expected.shape:
        tip = 'show the RGB image the model saw: np.asarray(image.convert("RGB")).'
    expect(
        drawn.shape == expected.shape and np.array_equal(drawn, expected),
        kata,
        got=f"an image of shape {list(drawn.shape)}",
        expected=f"the RGB image itself, np.asarray(image.convert('RGB')), of shape {list(expected.shape)}",
        tip=tip,
    )


def test_the_image_and_its_caption_are_side_by_side(kata, tiny_vit_gpt2, captioner):
    image = noise_image(0)
    left, right = panels(kata, kata(image, tiny_vit_gpt2.path, max_new_tokens=8))
    expect_image(kata, left, image)
    expect_caption(
        kata, right, caption_of(captioner, image, 8), "the caption is the greedy generate() output decoded."
    )


def test_the_caption_follows_the_image_and_max_new_tokens(kata, tiny_vit_gpt2, captioner):
    for seed, max_new_tokens in ((4, 3), (9, 10)):
        image = noise_image(seed, size=(36, 52))
        _, right = panels(kata, kata(image, tiny_vit_gpt2.path, max_new_tokens=max_new_tokens))
        expected = caption_of(captioner, image, max_new_tokens)
        expect_caption(kata, right, expected, "pass max_new_tokens to generate().")


def test_the_default_limit_is_16_tokens_and_the_caption_sits_in_its_panel(kata, tiny_vit_gpt2, captioner):
    # An image whose caption is still going at 16 tokens, so that the limit shows.
    for seed in range(50):
        image = noise_image(seed)
        expected = caption_of(captioner, image, 16)
        if caption_of(captioner, image, 17) != expected:
            break
    else:
        raise AssertionError("the check needs an image whose caption is longer than 16 tokens")
    figure = kata(image, tiny_vit_gpt2.path)
    _, right = panels(kata, figure)
    expect_caption(kata, right, expected, "keep the signature's default max_new_tokens=16.")
    figure.draw_without_rendering()
    outside = []
    for text in right.texts:
        x, y = text.get_transform().transform(text.get_position())
        if not right.bbox.contains(x, y):
            outside.append(text.get_text())
    expect(
        not outside,
        kata,
        got=f"the caption {outside[0]!r} placed outside the right panel" if outside else "",
        expected="the caption inside the right panel, where it can be read",
        tip="right.text(0.5, 0.5, caption, ha='center', va='center') puts it in the middle (axis('off') "
        "keeps the 0 to 1 limits), or set it as the panel's title.",
    )


def test_the_model_at_the_given_path_is_used(kata, tiny_vit_gpt2):
    variant = tiny_vit_gpt2.variant(seed=5)
    image = noise_image(11)
    _, right = panels(kata, kata(image, variant.path, max_new_tokens=8))
    expected = caption_of(captioner_of(variant), image, 8)
    expect_caption(kata, right, expected, "load the processor, model and tokenizer from model_name_or_path.")


@pytest.mark.parametrize("mode", ["L", "RGBA"])
def test_images_of_any_mode_are_shown_and_captioned_as_rgb(kata, tiny_vit_gpt2, captioner, mode):
    image = noise_image(3).convert(mode)
    left, right = panels(kata, kata(image, tiny_vit_gpt2.path, max_new_tokens=6))
    expect_image(kata, left, image)
    expect_caption(kata, right, caption_of(captioner, image, 6), 'caption image.convert("RGB").')


def test_no_axis_ticks_and_nothing_saved(kata, tiny_vit_gpt2):
    axes = panels(kata, kata(noise_image(1), tiny_vit_gpt2.path, max_new_tokens=4))
    shown = [side for side, ax in (("left", axes[0]), ("right", axes[1])) if ax.axison]
    expect(
        not shown,
        kata,
        got=f"axis lines and ticks shown on the {' and '.join(shown)} panel",
        expected="no axes drawn around the picture or the caption: ax.axis('off') on both",
    )
    expect_no_files_written(kata)


@pytest.mark.parametrize(
    "not_an_image",
    ["photo.png", np.zeros((32, 32, 3), dtype=np.uint8), None],
    ids=["a file name", "a numpy array", "None"],
)
def test_something_that_is_not_an_image_raises_type_error(kata, tiny_vit_gpt2, not_an_image):
    expect_raises(
        kata,
        TypeError,
        not_an_image,
        tiny_vit_gpt2.path,
        because=f"{type(not_an_image).__name__} is not a PIL.Image.Image",
    )
