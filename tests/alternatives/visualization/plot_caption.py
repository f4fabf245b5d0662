"""Alternative: AutoModelForImageTextToText, pyplot's subplots, the caption as the right panel's title."""

from __future__ import annotations

import os

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from PIL import Image
from transformers import AutoImageProcessor, AutoModelForImageTextToText, AutoTokenizer


def plot_caption(
    image: Image.Image,
    model_name_or_path: str | os.PathLike[str],
    max_new_tokens: int = 16,
) -> Figure:
    if not isinstance(image, Image.Image):
        raise TypeError("expected a PIL image")
    image = image.convert("RGB")
    model = AutoModelForImageTextToText.from_pretrained(model_name_or_path)
    inputs = AutoImageProcessor.from_pretrained(model_name_or_path)(image, return_tensors="pt")
    output = model.generate(**inputs, max_new_tokens=max_new_tokens)
    caption = AutoTokenizer.from_pretrained(model_name_or_path).batch_decode(
        output, skip_special_tokens=True
    )[0]
    fig, (ax_image, ax_text) = plt.subplots(1, 2)
    ax_image.imshow(image)
    ax_image.set_axis_off()
    ax_text.set_title(caption)
    ax_text.set_axis_off()
    return fig
