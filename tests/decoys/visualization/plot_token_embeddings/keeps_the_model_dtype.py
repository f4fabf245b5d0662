"""Decoy for plot_token_embeddings: keeps the embedding rows in the model's dtype, so a bfloat16 model fails in the SVD.

caught_by: test_each_word_at_its_pca_coordinates_and_annotated
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def plot_token_embeddings(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    words: Sequence[str],
) -> Figure:
    if len(words) < 2:
        raise ValueError(f"a map needs at least 2 words, got {len(words)}")
    # MISTAKE: the rows keep the model's dtype, and SVD has no bfloat16
    table = model.get_input_embeddings().weight.detach()
    vectors = []
    for word in words:
        ids = tokenizer(word, add_special_tokens=False)["input_ids"]
        if not ids:
            raise ValueError(f"{word!r} has no token")
        vectors.append(table[ids].mean(dim=0))  # a word of several tokens: their mean
    centred = torch.stack(vectors)
    centred = centred - centred.mean(dim=0)
    # The right singular vectors are the principal directions, by decreasing variance.
    _, _, directions = torch.linalg.svd(centred, full_matrices=False)
    points = (centred @ directions[:2].T).numpy()

    figure = Figure(figsize=(6.0, 5.0), layout="constrained")
    axes = figure.add_subplot()
    axes.scatter(points[:, 0], points[:, 1])
    for word, (x, y) in zip(words, points, strict=True):
        axes.annotate(word, (x, y), textcoords="offset points", xytext=(4, 4))
    axes.set_xlabel("PC1")
    axes.set_ylabel("PC2")
    axes.set_title("Input embeddings (PCA)")
    return figure
