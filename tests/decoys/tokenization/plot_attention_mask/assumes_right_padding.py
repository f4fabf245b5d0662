"""Decoy for plot_attention_mask: it builds the mask by hand from the texts' lengths, with the ones on the left, whatever the tokenizer's padding side.

caught_by: test_a_left_padding_tokenizer_puts_the_zeros_on_the_left
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
    import torch

    lengths = [len(ids) for ids in tokenizer(list(texts))["input_ids"]]
    mask = torch.zeros(len(texts), max(lengths), dtype=torch.long)
    for row, length in enumerate(lengths):
        mask[row, :length] = 1  # MISTAKE: right padding assumed

    # A Figure made directly is not registered with pyplot: nothing global to leak or close.
    figure = Figure(figsize=(max(4.0, 0.35 * mask.shape[1]), 1.0 + 0.45 * len(texts)), layout="constrained")
    axes = figure.add_subplot()
    # vmin/vmax pin the colours: an all-ones mask would otherwise be drawn in the 0 colour.
    image = axes.imshow(mask.numpy(), cmap="Greys", vmin=0, vmax=1, aspect="auto", interpolation="nearest")
    axes.set_yticks(range(len(texts)), labels=list(texts))
    axes.set_xlabel("token position")
    axes.set_title(f"Attention mask (padding side: {tokenizer.padding_side})")
    figure.colorbar(image, ax=axes, ticks=[0, 1], label="1 = token, 0 = padding")
    return figure
