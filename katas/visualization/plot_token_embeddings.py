"""Kata: a map of a model's token embeddings (seed question 112).

Run the checks with:  pytest --katas plot_token_embeddings
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def plot_token_embeddings(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    words: Sequence[str],
) -> Figure:
    """Draw ``words`` where a model's input embeddings put them, in two dimensions (PCA).

    A word's vector is the mean of the input-embedding rows
    (``model.get_input_embeddings().weight``) of its tokens, ``tokenizer(word,
    add_special_tokens=False)``. The vectors are centred (their mean subtracted) and projected
    on their two principal directions, the first one holding the most variance (what
    ``numpy.linalg.svd`` of the centred vectors or scikit-learn's ``PCA(2)`` gives; the sign of
    each axis is free).

    Args:
        model: any transformers model.
        tokenizer: its tokenizer.
        words: at least 2 words, any sequence; a word may come twice.

    Returns:
        A matplotlib Figure with one Axes holding one scatter (``ax.scatter``) of one point per
        word, in the order of ``words``, each annotated with its word (a text at or next to
        it); the x axis labelled with "PC1", the y axis with "PC2". Do not show the figure or
        save it. The model is left unchanged.

    Raises:
        ValueError: if there are fewer than 2 words, or a word has no token (an empty word).
    """
    # TODO: mean embedding per word, centre, SVD, scatter the first two components, annotate.
    raise NotImplementedError
