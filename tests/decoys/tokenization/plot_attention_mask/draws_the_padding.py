"""Decoy for plot_attention_mask: it draws where the padding is (1 - mask) instead of the attention mask itself.

caught_by: test_the_image_is_the_attention_mask_of_the_padded_batch
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_attention_mask(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> Figure:
    if not texts:
        raise ValueError("texts is empty: there is no batch to draw")
    if tokenizer.pad_token is None:
        raise ValueError(
            "the tokenizer has no pad token, so a batch of different lengths cannot be padded; "
            "set one first, e.g. tokenizer.pad_token = tokenizer.eos_token"
        )
    # padding=True pads to the longest text of this batch ("max_length" would pad to the
    # model's limit); the tokenizer decides the side (padding_side) and writes 0 in the mask
    # wherever it padded.
    mask = tokenizer(list(texts), padding=True, return_tensors="pt")["attention_mask"]

    # A Figure made directly is not registered with pyplot: nothing global to leak or close.
    figure = Figure(figsize=(max(4.0, 0.35 * mask.shape[1]), 1.0 + 0.45 * len(texts)), layout="constrained")
    axes = figure.add_subplot()
    # vmin/vmax pin the colours: an all-ones mask would otherwise be drawn in the 0 colour.
    image = axes.imshow(
        1 - mask.numpy(), cmap="Greys", vmin=0, vmax=1, aspect="auto", interpolation="nearest"
    )
    axes.set_yticks(range(len(texts)), labels=list(texts))
    axes.set_xlabel("token position")
    axes.set_title(f"Attention mask (padding side: {tokenizer.padding_side})")
    figure.colorbar(image, ax=axes, ticks=[0, 1], label="1 = token, 0 = padding")
    return figure
