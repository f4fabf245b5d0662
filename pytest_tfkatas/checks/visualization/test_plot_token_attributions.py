"""Hidden checks: plot_token_attributions."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator

import numpy as np
import pytest
import torch

from pytest_tfkatas.checks.helpers import only_axes
from pytest_tfkatas.harness import expect, expect_no_files_written, expect_raises

# Importing shap 0.51 warns about its colour maps under recent matplotlib: not the learner's business.
pytestmark = pytest.mark.filterwarnings(
    "ignore:The set_.* function will be deprecated:PendingDeprecationWarning"
)


@pytest.fixture(autouse=True, scope="module")
def _shap_without_numba_compilation() -> Iterator[None]:
    """Let shap's numba helpers run as plain Python while these checks run.

    shap compiles them with numba the first time an explainer runs, which costs 8-12 s in every
    new process (shap does not cache the compiled code). On inputs this small the plain Python
    code gives the same numbers in milliseconds. The setting only matters before numba is first
    imported; if it already was, the checks are merely slower.
    """
    if "numba" in sys.modules or "NUMBA_DISABLE_JIT" in os.environ:
        yield
        return
    os.environ["NUMBA_DISABLE_JIT"] = "1"
    try:
        yield
    finally:
        del os.environ["NUMBA_DISABLE_JIT"]


def probabilities(model, tokenizer, texts: list[str]) -> np.ndarray:
    inputs = tokenizer(texts, padding=True, return_tensors="pt")
    with torch.no_grad():
        return model(**inputs).logits.softmax(dim=-1).numpy()


def everything_masked(model, tokenizer, text: str) -> tuple[np.ndarray, np.ndarray]:
    """The model's probabilities and logits with every token of ``text`` replaced by [MASK]."""
    count = len(tokenizer(text, add_special_tokens=False)["input_ids"])
    ids = [tokenizer.cls_token_id, *[tokenizer.mask_token_id] * count, tokenizer.sep_token_id]
    with torch.no_grad():
        logits = model(input_ids=torch.tensor([ids])).logits[0]
    return logits.softmax(dim=-1).numpy(), logits.numpy()


def token_texts(tokenizer, text: str) -> list[str]:
    """Each token as it appears in ``text``, from the fast tokenizer's character offsets."""
    offsets = tokenizer(text, add_special_tokens=False, return_offsets_mapping=True)["offset_mapping"]
    return [text[start:end] for start, end in offsets]


def bars_and_axes(kata, figure):
    from matplotlib.patches import Rectangle

    axes = only_axes(kata, figure)
    bars = sorted((p for p in axes.patches if isinstance(p, Rectangle)), key=lambda bar: bar.get_x())
    return [float(bar.get_height()) for bar in bars], axes


def test_the_bars_add_up_to_the_prediction(kata, tiny_bert):
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    text = "the robot read a good book by the sea"
    values, axes = bars_and_axes(kata, kata(model, tokenizer, text))
    probs = probabilities(model, tokenizer, [text])[0]
    index = int(probs.argmax())
    label = model.config.id2label[index]
    title = axes.get_title()
    expect(
        title == label,
        kata,
        got=f"a chart titled {title!r}",
        expected=f"the title {label!r}: with label=None, explain the class the model predicts",
        tip="take the argmax of the model's probabilities for the text, named by model.config.id2label.",
    )
    base, base_logits = everything_masked(model, tokenizer, text)
    expected = probs[index] - base[index]
    got = sum(values)
    tip = None
    if abs(got - expected) > 1e-4:
        logits = model(**tokenizer(text, return_tensors="pt")).logits[0].detach().numpy()
        if abs(got - (logits[index] - base_logits[index])) < 1e-3:
            tip = "these are values for the logits: explain the probabilities, logits.softmax(dim=-1)."
        elif abs(got + expected) < 1e-4:
            tip = "these are the values of the other class: take the label's column of explanation.values."
        else:
            tip = (
                "explain the probabilities with shap.Explainer(predict, shap.maskers.Text(tokenizer)) and "
                "draw explanation.values[0][1:-1, label_index], one bar per token."
            )
    expect(
        abs(got - expected) < 1e-4,
        kata,
        got=f"bars that add up to {got:.6f}",
        expected=(
            f"{expected:.6f}: SHAP values add up to P({label} | text) = {probs[index]:.6f} minus the base "
            f"value, P({label}) with every token masked = {base[index]:.6f}"
        ),
        tip=tip,
    )


def test_each_bar_is_the_shap_value_of_its_token(kata, tiny_bert):
    import shap

    variant = tiny_bert.variant(seed=3)
    model, tokenizer = variant.load_model(), variant.load_tokenizer()
    text = "every morning the robot smiled"
    labels = [model.config.id2label[i] for i in range(model.config.num_labels)]
    explainer = shap.Explainer(
        lambda texts: probabilities(model, tokenizer, list(texts)), shap.maskers.Text(tokenizer)
    )
    explanation = explainer([text])
    for label in labels:
        values, axes = bars_and_axes(kata, kata(model, tokenizer, text, label=label))
        expected = explanation.values[0][1:-1, labels.index(label)]
        ok = len(values) == len(expected) and np.allclose(values, expected, atol=1e-4)
        tip = None
        if len(values) == len(expected) + 2:
            tip = "leave out the first and last positions, [CLS] and [SEP]: shap never masks them."
        elif not ok:
            tip = (
                "use shap's explainer for text, shap.Explainer(predict, shap.maskers.Text(tokenizer)), "
                f"and draw the values of the class {label!r}, explanation.values[0][1:-1, label_index]."
            )
        expect(
            ok,
            kata,
            got=f"bar heights {np.round(values, 5).tolist()}",
            expected=f"the SHAP values for P({label}), token by token: {np.round(expected, 5).tolist()}",
            tip=tip,
        )
        expect(axes.get_title() == label, kata, got=repr(axes.get_title()), expected=f"the title {label!r}")


def test_each_bar_is_labelled_with_its_token(kata, tiny_bert):
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    text = "Robots read books, slowly."
    _, axes = bars_and_axes(kata, kata(model, tokenizer, text, label="POSITIVE"))
    labels = [label.get_text() for label in axes.get_xticklabels()]
    expected = token_texts(tokenizer, text)
    tip = None
    if labels == tokenizer.tokenize(text):
        tip = "show each token as it is written in the text (explanation.data), not lower-cased WordPiece."
    elif [label.strip() for label in labels] == expected:
        tip = "strip the whitespace around each token: str(token).strip()."
    expect(
        labels == expected,
        kata,
        got=f"x tick labels {labels}",
        expected=f"{expected}, each token as it appears in the text, in order",
        tip=tip,
    )
    expect_no_files_written(kata)


@pytest.mark.parametrize(
    ("text", "label", "because"),
    [
        ("the robot read", "neutral", "'neutral' is not one of the model's labels NEGATIVE, POSITIVE"),
        ("", None, "an empty text has no tokens to explain"),
        ("   ", "POSITIVE", "a text of spaces has no tokens to explain"),
    ],
    ids=["unknown label", "empty text", "blank text"],
)
def test_bad_input_raises_value_error(kata, tiny_bert, text, label, because):
    model, tokenizer = tiny_bert.load_model(), tiny_bert.load_tokenizer()
    expect_raises(kata, ValueError, model, tokenizer, text, label=label, because=because)
