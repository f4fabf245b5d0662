"""Alternative: encode first, pad with tokenizer.pad into numpy, draw with pyplot's matshow."""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib.pyplot as plt
from matplotlib.figure import Figure
from transformers import PreTrainedTokenizerBase


def plot_attention_mask(tokenizer: PreTrainedTokenizerBase, texts: Sequence[str]) -> Figure:
    if len(texts) == 0 or tokenizer.pad_token_id is None:
        raise ValueError("need texts and a tokenizer with a pad token")
    encoded = tokenizer(list(texts))
    batch = tokenizer.pad(encoded, padding="longest", return_tensors="np")
    fig, ax = plt.subplots()
    ax.matshow(batch["attention_mask"], cmap="viridis")
    ax.set_yticks(range(len(texts)))
    ax.set_yticklabels(texts)
    ax.set_xlabel("Position in the padded batch")
    return fig
