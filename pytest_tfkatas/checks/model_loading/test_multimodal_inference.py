"""Hidden checks: multimodal_inference."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from pytest_tfkatas.checks.helpers import captioner_of, greedy_caption, noise_image
from pytest_tfkatas.harness import describe, expect, expect_raises


@pytest.fixture
def captioner(tiny_vit_gpt2):
    return captioner_of(tiny_vit_gpt2)


def distinct_images(captioner, count: int) -> list[Image.Image]:
    """Images whose captions differ, so that one fixed answer cannot pass."""
    images, seen = [], set()
    for seed in range(50):
        image = noise_image(seed)
        text, _ = greedy_caption(captioner, image, 8)
        if text not in seen:
            images.append(image)
            seen.add(text)
        if len(images) == count:
            break
    return images


def test_the_caption_is_the_models_decoded_output(kata, tiny_vit_gpt2, captioner):
    for image in distinct_images(captioner, 2):
        text = kata(image, tiny_vit_gpt2.path, max_new_tokens=8)
        expected, _ = greedy_caption(captioner, image, 8)
        tip = None
        if not isinstance(text, str):
            tip = "generate() returns token ids: turn them into text with tokenizer.decode(ids[0], ...)."
        elif "<|endoftext|>" in text:
            tip = "decode with skip_special_tokens=True."
        expect(
            text == expected,
            kata,
            got=describe(text),
            expected=f"{expected!r}, the greedy caption decoded without special tokens",
            tip=tip,
        )


def test_max_new_tokens_limits_the_caption(kata, tiny_vit_gpt2, captioner):
    image = noise_image(7)
    text = kata(image, tiny_vit_gpt2.path, max_new_tokens=3)
    expected, length = greedy_caption(captioner, image, 3)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}, a caption of at most 3 new tokens ({length} here)",
        tip="pass max_new_tokens to generate().",
    )


def test_the_default_limit_is_16_tokens(kata, tiny_vit_gpt2, captioner):
    # An image whose caption is still going at 16 tokens, so that the limit shows.
    for seed in range(50):
        image = noise_image(seed)
        expected, _ = greedy_caption(captioner, image, 16)
        if greedy_caption(captioner, image, 17)[0] != expected:
            break
    else:
        raise AssertionError("the check needs an image whose caption is longer than 16 tokens")
    text = kata(image, tiny_vit_gpt2.path)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}: the greedy caption of at most 16 new tokens, the default",
        tip="keep the signature's default max_new_tokens=16 and pass it on to generate().",
    )


def test_the_model_at_the_given_path_is_used(kata, tiny_vit_gpt2):
    variant = tiny_vit_gpt2.variant(seed=5)
    captioner = captioner_of(variant)
    image = noise_image(11)
    text = kata(image, variant.path, max_new_tokens=8)
    expected, _ = greedy_caption(captioner, image, 8)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}, the caption of the model in the folder it was given",
        tip="load the processor, model and tokenizer from model_name_or_path.",
    )


@pytest.mark.parametrize("mode", ["L", "RGBA"])
def test_images_of_any_mode_are_captioned_as_rgb(kata, tiny_vit_gpt2, captioner, mode):
    image = noise_image(3).convert(mode)
    text = kata(image, tiny_vit_gpt2.path, max_new_tokens=8)
    expected, _ = greedy_caption(captioner, image, 8)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}, the caption of the image converted to RGB",
        tip='the image processor expects three channels: image.convert("RGB").',
    )


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
