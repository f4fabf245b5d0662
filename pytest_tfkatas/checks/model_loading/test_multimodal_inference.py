"""Hidden checks: multimodal_inference."""

from __future__ import annotations

import io

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


def pixels_of(image: Image.Image) -> tuple[str, tuple[int, int], bytes]:
    return image.mode, image.size, image.tobytes()


def test_the_caption_is_returned_as_decoded_with_its_spaces(kata, tiny_vit_gpt2, captioner):
    # A caption that starts or ends with whitespace (a space, a control character), as decoded.
    found = next(
        (
            (image, length, text)
            for image in (noise_image(seed) for seed in range(8))
            for length in range(1, 9)
            for text in [greedy_caption(captioner, image, length)[0]]
            if text != text.strip()
        ),
        None,
    )
    assert found is not None, "the check needs a caption with whitespace at one end"
    image, length, expected = found
    text = kata(image, tiny_vit_gpt2.path, max_new_tokens=length)
    tip = None
    if isinstance(text, str) and text == expected.strip():
        tip = "return the decoded text as it is: no strip()."
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}: the greedy caption of {length} tokens, exactly as decoded",
        tip=tip,
    )


def test_the_caption_is_greedy_whatever_the_models_generation_config_says(kata, tiny_vit_gpt2, tmp_path):
    """The captioner saved with a generation_config that samples with 3 beams by default: the
    contract asks for the greedy caption, so greedy decoding must be asked for."""
    processor, model, tokenizer = captioner_of(tiny_vit_gpt2)
    images = distinct_images((processor, model, tokenizer), 2)
    expected = [greedy_caption((processor, model, tokenizer), image, 8)[0] for image in images]
    folder = tmp_path / "sampling-captioner"
    model.generation_config.do_sample = True  # and beam search: greedy is neither
    model.generation_config.top_k = 0
    model.generation_config.num_beams = 3
    for part in (processor, model, tokenizer):
        part.save_pretrained(folder)
    for image, caption in zip(images, expected, strict=True):
        text = kata(image, folder, max_new_tokens=8)
        expect(
            text == caption,
            kata,
            got=repr(text),
            expected=f"{caption!r}, the greedy caption, though this model's generation_config samples "
            "with 3 beams",
            tip="ask generate() for greedy decoding: do_sample=False (and num_beams=1).",
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


@pytest.mark.parametrize("mode", ["L", "RGBA", "P", "CMYK", "LA", "1"])
def test_images_of_any_mode_are_captioned_as_rgb(kata, tiny_vit_gpt2, captioner, mode):
    image = noise_image(3).convert(mode)
    before = pixels_of(image)
    text = kata(image, tiny_vit_gpt2.path, max_new_tokens=8)
    expected, _ = greedy_caption(captioner, image, 8)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}, the caption of the image converted to RGB",
        tip='the image processor expects three channels: image.convert("RGB"), whatever the mode.',
    )
    expect_the_image_unchanged(kata, image, before)


def expect_the_image_unchanged(kata, image: Image.Image, before: tuple[str, tuple[int, int], bytes]) -> None:
    after = pixels_of(image)
    expect(
        after == before,
        kata,
        got=f"the image changed: mode {after[0]}, size {after[1]}"
        + (", other pixels" if after[2] != before[2] else ""),
        expected=f"the caller's image left as it was: mode {before[0]}, size {before[1]}, same pixels",
        tip="work on a copy: image.convert(...) returns a new image, while thumbnail() and paste() "
        "change the image in place.",
    )


def test_an_image_opened_from_a_file_is_an_image(kata, tiny_vit_gpt2, captioner):
    """Image.open gives a subclass of PIL.Image.Image (PngImageFile, JpegImageFile, ...)."""
    buffer = io.BytesIO()
    noise_image(9, size=(64, 48)).save(buffer, format="PNG")
    image = Image.open(io.BytesIO(buffer.getvalue()))
    before = pixels_of(image)
    text = kata(image, tiny_vit_gpt2.path, max_new_tokens=8)
    expected, _ = greedy_caption(captioner, image, 8)
    expect(
        text == expected,
        kata,
        got=repr(text),
        expected=f"{expected!r}, the caption of a {type(image).__name__}, which is a PIL.Image.Image",
        tip="test the type with isinstance(image, Image.Image): files open as subclasses of it.",
    )
    expect_the_image_unchanged(kata, image, before)


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
