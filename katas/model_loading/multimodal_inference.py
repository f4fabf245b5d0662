"""Kata: caption an image with a vision encoder-decoder model (seed question 15).

Run the checks with:  pytest --katas multimodal_inference
"""

from __future__ import annotations

import os

from PIL import Image


def multimodal_inference(
    image: Image.Image,
    model_name_or_path: str | os.PathLike[str],
    max_new_tokens: int = 16,
) -> str:
    """Describe ``image`` in words with an image-to-text (vision encoder-decoder) model.

    Args:
        image: a PIL image (any ``PIL.Image.Image``, such as what ``Image.open`` gives) in any
            mode ("RGB", "L" greyscale, "RGBA", "P", "CMYK", ...) and size; it is left unchanged.
        model_name_or_path: a Hub name or a local folder holding the model together with its
            image processor and tokenizer (the checks pass a tiny ViT + GPT-2 captioner).
        max_new_tokens: the caption's length limit in tokens.

    Returns:
        The caption as text, exactly as decoded: the greedily generated tokens (greedy even when
        the model's generation_config says otherwise) decoded without special tokens.

    Raises:
        TypeError: if ``image`` is not a ``PIL.Image.Image`` (a file name, an array, ...).
        OSError: when no model can be found (from transformers).
    """
    # TODO: preprocess the image, generate token ids from its pixels, decode them.
    raise NotImplementedError
