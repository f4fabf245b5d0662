"""Alternative: zero-shot classification by hand, without the pipeline: one NLI pair per label."""

from __future__ import annotations

import os
from collections.abc import Sequence

import torch
from transformers import AutoModelForSequenceClassification, AutoTokenizer


def zero_shot_classify(
    text: str,
    labels: Sequence[str],
    model_name_or_path: str | os.PathLike[str],
    *,
    multi_label: bool = False,
    hypothesis_template: str = "This example is {}.",
) -> dict[str, float]:
    if not labels or len(labels) != len(set(labels)) or "{}" not in hypothesis_template:
        raise ValueError("need distinct labels and a template with {}")
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    model = AutoModelForSequenceClassification.from_pretrained(model_name_or_path)
    ids = {name.lower(): index for name, index in model.config.label2id.items()}
    hypotheses = [hypothesis_template.format(label) for label in labels]
    batch = tokenizer(
        [text] * len(labels), hypotheses, padding=True, truncation="only_first", return_tensors="pt"
    )
    with torch.no_grad():
        logits = model(**batch).logits
    if multi_label or len(labels) == 1:  # one label competes with nothing: scored on its own
        scores = logits[:, [ids["contradiction"], ids["entailment"]]].softmax(dim=-1)[:, 1]
    else:
        scores = logits[:, ids["entailment"]].softmax(dim=0)
    return {label: float(score) for label, score in zip(labels, scores, strict=True)}
