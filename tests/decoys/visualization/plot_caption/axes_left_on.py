"""Decoy for plot_caption: the axes, ticks and frame are left on around the picture and the caption.

caught_by: test_no_axis_ticks_and_nothing_saved
"""

from __future__ import annotations

import os

import numpy as np
import torch
from matplotlib.figure import Figure
from PIL import Image
from transformers import AutoImageProcessor, AutoTokenizer, VisionEncoderDecoderModel


def plot_caption(
    image: Image.Image,
    model_name_or_path: str | os.PathLike[str],
    max_new_tokens: int = 16,
) -> Figure:
    if not isinstance(image, Image.Image):
        raise TypeError(f"image must be a PIL.Image.Image, got {type(image).__name__}")
    processor = AutoImageProcessor.from_pretrained(model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    model = VisionEncoderDecoderModel.from_pretrained(model_name_or_path)
    # One RGB image serves both: the processor wants three channels, and the figure shows what
    # the model was given.
    rgb = image.convert("RGB")
    pixel_values = processor(images=rgb, return_tensors="pt").pixel_values
    with torch.no_grad():
        ids = model.generate(pixel_values=pixel_values, max_new_tokens=max_new_tokens)
    caption = tokenizer.decode(ids[0], skip_special_tokens=True)

    figure = Figure(figsize=(8.0, 3.5), layout="constrained")
    left, right = figure.subplots(1, 2)
    # pixel_values are resized and normalised for the model: show the picture itself.
    left.imshow(np.asarray(rgb))
    # MISTAKE: axis left on
    right.text(0.5, 0.5, caption, ha="center", va="center", wrap=True, fontsize=12)
    return figure
