"""Decoy for plot_token_attributions: an unknown label is silently replaced by the predicted class instead of raising ValueError.

caught_by: test_bad_input_raises_value_error
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
    if not text.strip():
        raise ValueError("text is empty: there are no tokens to explain")
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]

    model.eval()

    def predict(texts: np.ndarray) -> np.ndarray:
        # shap calls this with batches of masked variants of the text: strings in, one row of
        # class probabilities out per string.
        inputs = tokenizer(list(texts), padding=True, truncation=True, return_tensors="pt")
        with torch.no_grad():
            return model(**inputs).logits.softmax(dim=-1).numpy()

    # The Text masker hides tokens by replacing them with tokenizer.mask_token; with a masker
    # of text, shap.Explainer chooses the Partition explainer (Owen values over a token tree).
    explainer = shap.Explainer(predict, shap.maskers.Text(tokenizer), output_names=labels)
    explanation = explainer([text])  # values (1, tokens, labels), base_values (1, labels)

    if label not in labels:  # MISTAKE: an unknown label falls back to the prediction
        label = labels[int(predict(np.array([text]))[0].argmax())]
    index = labels.index(label)
    # The first and last positions are [CLS] and [SEP]: shap keeps them, their values are 0.
    values = explanation.values[0][1:-1, index]
    tokens = [str(token).strip() for token in explanation.data[0][1:-1]]

    figure = Figure(figsize=(max(4.0, 0.6 * len(tokens)), 3.5), layout="constrained")
    axes = figure.add_subplot()
    colours = ["tab:red" if value > 0 else "tab:blue" for value in values]
    axes.bar(range(len(tokens)), values, color=colours)
    axes.set_xticks(range(len(tokens)), labels=tokens, rotation=45)
    axes.axhline(0.0, color="black", linewidth=0.8)
    axes.set_ylabel(f"SHAP value for P({label})")
    axes.set_title(label)
    return figure
