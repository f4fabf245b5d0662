"""Kata: visualize attention masks (seed question 29).

Run the checks with:  pytest --katas plot_attention_mask
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_attention_mask(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> Figure:
    """Draw the attention mask of ``texts`` tokenized as one padded batch.

    Args:
        tokenizer: the tokenizer that prepares the batch; it must have a pad token. It pads on
            its own ``padding_side`` (right for BERT, often left for decoder-only models).
        texts: the texts of the batch, of different lengths.

    Returns:
        A matplotlib Figure whose (only) image, drawn with ``imshow`` on one Axes, is the
        attention mask of the batch padded to its longest text: one row per text, in order, one
        column per token position, 1 where there is a real token (special tokens included) and
        0 where there is padding. The rows' y tick labels are the texts; the x axis is labelled
        with the word "position". A colour bar may be added. Return the figure: do not show it
        or save it to a file.

    Raises:
        ValueError: if ``texts`` is empty, or the tokenizer has no pad token (do not change the
            caller's tokenizer to give it one).
    """
    # TODO: tokenize the texts as a padded batch and draw its attention mask as an image.
    raise NotImplementedError
