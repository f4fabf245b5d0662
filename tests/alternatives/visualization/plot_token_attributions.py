"""Alternative: shap explains a text-classification pipeline directly (it builds the masker itself)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import shap
from matplotlib.figure import Figure
from transformers import PreTrainedModel, PreTrainedTokenizerBase, pipeline


def plot_token_attributions(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    text: str,
    label: str | None = None,
) -> Figure:
    if text.strip() == "":
        raise ValueError("nothing to explain")
    if label is not None and label not in model.config.label2id:
        raise ValueError(f"unknown label {label!r}, expected one of {list(model.config.label2id)}")
    classifier = pipeline("text-classification", model=model, tokenizer=tokenizer, top_k=None)
    explanation = shap.Explainer(classifier)([text])
    if label is None:
        label = classifier(text)[0][0]["label"]  # top_k=None: sorted, most likely first
    column = list(explanation.output_names).index(label)
    values = explanation[0, :, column]
    keep = [i for i, token in enumerate(values.data) if token != ""]  # [CLS] and [SEP] are ''
    fig, ax = plt.subplots()
    ax.bar(np.arange(len(keep)), values.values[keep])
    ax.set_xticks(np.arange(len(keep)))
    ax.set_xticklabels([values.data[i].strip() for i in keep])
    ax.set_title(label)
    return fig
