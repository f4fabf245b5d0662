"""Alternative: the image as a numpy array, a GenerationConfig, and batch_decode."""

from __future__ import annotations

import os

import numpy as np
from PIL import Image
from transformers import AutoImageProcessor, AutoTokenizer, GenerationConfig, VisionEncoderDecoderModel


def multimodal_inference(
    image: Image.Image,
    model_name_or_path: str | os.PathLike[str],
    max_new_tokens: int = 16,
) -> str:
    if not isinstance(image, Image.Image):
        raise TypeError("expected a PIL image")
    model = VisionEncoderDecoderModel.from_pretrained(model_name_or_path)
    pixels = np.asarray(image.convert("RGB"))
    batch = AutoImageProcessor.from_pretrained(model_name_or_path)(pixels, return_tensors="pt")
    config = GenerationConfig.from_dict(
        {
            **model.generation_config.to_dict(),
            "max_new_tokens": max_new_tokens,
            "do_sample": False,
            "num_beams": 1,
        }
    )
    ids = model.generate(batch["pixel_values"], generation_config=config)
    return AutoTokenizer.from_pretrained(model_name_or_path).batch_decode(ids, skip_special_tokens=True)[0]
