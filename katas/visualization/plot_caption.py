"""Kata: show an image next to the caption a model generates for it (seed question 125).

Run the checks with:  pytest --katas plot_caption
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
    """Caption ``image`` with an image-to-text model and draw the image and its caption side by side.

    Args:
        image: a PIL image in any mode ("RGB", "L" greyscale, "RGBA", ...) and size.
        model_name_or_path: a Hub name or a local folder holding a vision encoder-decoder model
            with its image processor and tokenizer (the checks pass a tiny ViT + GPT-2 captioner).
        max_new_tokens: the caption's length limit in tokens.

    Returns:
        A matplotlib Figure with two Axes side by side, both without axis ticks (``axis("off")``):

        - left: the image itself, converted to RGB, at its own size (not the model's resized,
          normalised pixel values): one ``imshow`` of ``numpy.asarray(image.convert("RGB"))``;
        - right: the caption, the greedily generated tokens decoded without special tokens, as
          the Axes' only text (``ax.text``) or as its title.

        Return the figure: do not show it or save it to a file.

    Raises:
        TypeError: if ``image`` is not a ``PIL.Image.Image``.
        OSError: when no model can be found (from transformers).
    """
    # TODO: caption the RGB image, then draw it on the left and the caption on the right.
    raise NotImplementedError
