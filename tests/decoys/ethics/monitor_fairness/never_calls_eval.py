"""Decoy for monitor_fairness: classifies under torch.no_grad() but never calls model.eval(), so a model straight out of training decides with dropout on.

caught_by: test_a_model_left_in_training_mode_is_judged_in_evaluation_mode
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def monitor_fairness(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    groups: Sequence[str],
    logger: logging.Logger,
    *,
    positive_label: str = "POSITIVE",
    max_gap: float = 0.1,
) -> dict[str, Any]:
    if len(texts) != len(groups):
        raise ValueError(f"got {len(texts)} texts but {len(groups)} groups: one group per text")
    if not texts:
        raise ValueError("there are no texts to monitor")
    if not 0 <= max_gap <= 1:
        raise ValueError(f"max_gap is a difference of rates, between 0 and 1; got {max_gap}")
    # The positive class by name: label order is a property of the checkpoint, not a convention.
    if positive_label not in model.config.label2id:
        raise ValueError(f"{positive_label!r} is not a label of the model: {sorted(model.config.label2id)}")
    positive_id = model.config.label2id[positive_label]

    inputs = tokenizer(list(texts), padding=True, truncation=True, return_tensors="pt")
    with torch.no_grad():
        predictions = model(**inputs).logits.argmax(dim=-1).tolist()

    outcomes: dict[str, list[bool]] = {}
    for group, prediction in zip(groups, predictions, strict=True):
        outcomes.setdefault(group, []).append(prediction == positive_id)
    rates = {group: sum(hits) / len(hits) for group, hits in outcomes.items()}
    most = max(rates, key=rates.__getitem__)
    least = min(rates, key=rates.__getitem__)
    gap = rates[most] - rates[least]
    report = {"positive_rate": rates, "gap": gap, "max_gap": max_gap, "alert": gap > max_gap}

    # Every run leaves a record of what was measured; an alarm only when the bound is exceeded,
    # at WARNING so that it stands out wherever the application sends its logs.
    logger.info("positive rate %r per group, gap %.3f", rates, gap, extra={"fairness": report})
    if report["alert"]:
        logger.warning(
            "fairness gap %.3f exceeds %.3f: %r gets %r %.0f%% of the time, %r only %.0f%%",
            gap,
            max_gap,
            most,
            positive_label,
            100 * rates[most],
            least,
            100 * rates[least],
            extra={"fairness": report},
        )
    return report
