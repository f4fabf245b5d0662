"""Decoy for multimodal_inference: only L and RGBA images are converted to RGB, so palette, CMYK, LA and 1-bit images reach the processor as they are.

caught_by: test_images_of_any_mode_are_captioned_as_rgb[CMYK]
"""

from __future__ import annotations

import os

import torch
from PIL import Image
from transformers import AutoImageProcessor, AutoTokenizer, VisionEncoderDecoderModel


def multimodal_inference(
    image: Image.Image,
    model_name_or_path: str | os.PathLike[str],
    max_new_tokens: int = 16,
) -> str:
    if not isinstance(image, Image.Image):
        raise TypeError(f"image must be a PIL.Image.Image, got {type(image).__name__}")
    # ViTFeatureExtractor is gone: image processors do the resizing and normalising now.
    processor = AutoImageProcessor.from_pretrained(model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    model = VisionEncoderDecoderModel.from_pretrained(model_name_or_path)
    # The processor normalises three channels: greyscale or RGBA images must become RGB first.
    pixel_values = processor(
        images=(image.convert("RGB") if image.mode in ("L", "RGBA") else image), return_tensors="pt"
    ).pixel_values  # MISTAKE
    with torch.no_grad():
        # Greedy as the contract says, whatever defaults the model's generation_config holds.
        ids = model.generate(
            pixel_values=pixel_values, max_new_tokens=max_new_tokens, do_sample=False, num_beams=1
        )
    # generate() returns token ids that start with the decoder's start token: decode to text.
    return tokenizer.decode(ids[0], skip_special_tokens=True)
