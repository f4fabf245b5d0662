"""Decoy for zero_shot_classify: zero-shot written by hand with the usual MNLI label order hard-coded (entailment = 2, contradiction = 0).

caught_by: test_the_entailment_label_is_found_by_its_name
"""

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
    if not labels or len(set(labels)) != len(labels) or "{}" not in hypothesis_template:
        raise ValueError("bad labels or template")
    model = AutoModelForSequenceClassification.from_pretrained(model_name_or_path)
    tokenizer = AutoTokenizer.from_pretrained(model_name_or_path)
    with torch.no_grad():
        logits = torch.stack(
            [
                model(**tokenizer(text, hypothesis_template.format(label), return_tensors="pt")).logits[0]
                for label in labels
            ]
        )
    if multi_label or len(labels) == 1:
        scores = logits[:, [0, 2]].softmax(dim=-1)[:, 1]
    else:
        scores = logits[:, 2].softmax(dim=0)
    return dict(zip(labels, scores.tolist(), strict=True))
