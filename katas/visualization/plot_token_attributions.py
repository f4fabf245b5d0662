"""Kata: explain a text classifier's prediction with SHAP, token by token (seed question 121).

Run the checks with:  pytest --katas plot_token_attributions

It needs shap and matplotlib:  pip install "pytest-tfkatas[explain,viz]"
"""

from __future__ import annotations

import numpy as np
import shap
import torch
from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def plot_token_attributions(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    label: str | None = None,
) -> Figure:
    """Draw how much each token of ``text`` pushes the classifier towards ``label``: SHAP values.

    Use the shap library: a ``shap.Explainer`` over a function that maps a batch of texts to the
    model's class probabilities (the softmax of its logits), with ``shap.maskers.Text(tokenizer)``
    as the masker (shap then picks its Partition explainer, and hides a token by replacing it
    with the tokenizer's mask token). SHAP values add up: the probability of ``label`` when every
    token is hidden (the base value) plus the token's values is the probability for the text.

    Args:
        model: a sequence classifier (the checks pass a tiny 2-label BERT sentiment model).
        tokenizer: its tokenizer (a fast tokenizer with a mask token, like BERT's).
        text: the text whose prediction to explain, no longer than the model's maximum length
            in tokens (explaining more is beyond a CPU's patience anyway).
        label: the class to explain, one of ``model.config.id2label``'s names; None explains
            the class the model predicts for ``text``.

    Returns:
        A matplotlib Figure with one Axes: one bar per token of ``text``, in the text's order,
        whose height is the token's SHAP value for the probability of ``label``. The special
        tokens the tokenizer adds ([CLS], [SEP]) are never hidden, have value 0 and get no bar.
        Each x tick label is the token's text as it appears in ``text``, without surrounding
        whitespace; the Axes' title is the label explained. Return the figure: do not show it
        or save it to a file.

    Raises:
        ValueError: if ``text`` is empty (or only whitespace), or ``label`` is not one of the
            model's labels.
    """
    # TODO: wrap the model in a texts -> probabilities function, explain the text with shap, plot the values.
    raise NotImplementedError
