"""Alternative: scikit-learn's PCA, numpy throughout, and ax.text labels."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from sklearn.decomposition import PCA
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def plot_token_embeddings(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    words: Sequence[str],
) -> Figure:
    if len(words) <= 1:
        raise ValueError("need two words or more")
    table = model.get_input_embeddings().weight.detach().float().numpy()
    rows = []
    for word in words:
        ids = tokenizer.encode(word, add_special_tokens=False)
        if len(ids) == 0:
            raise ValueError(f"no token for {word!r}")
        rows.append(table[ids].mean(axis=0))
    points = PCA(n_components=2).fit_transform(np.stack(rows).astype(np.float64))
    figure = Figure()
    axes = figure.add_subplot()
    axes.scatter(points[:, 0], points[:, 1], s=12)
    for word, (x, y) in zip(words, points, strict=True):
        axes.text(x, y, word)
    axes.set(xlabel="PC1", ylabel="PC2")
    return figure
