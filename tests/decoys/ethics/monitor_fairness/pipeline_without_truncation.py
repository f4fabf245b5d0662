"""Decoy for monitor_fairness: it runs a text-classification pipeline without truncation=True, so a text longer than the model's positions crashes the whole batch.

caught_by: test_the_default_bound_is_0_1_and_long_texts_are_cut_to_fit
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from typing import Any

from transformers import PreTrainedModel, PreTrainedTokenizerBase, pipeline


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
    if len(texts) != len(groups) or len(texts) == 0:
        raise ValueError("need one group per text, and at least one text")
    if max_gap < 0 or max_gap > 1:
        raise ValueError("max_gap must be within [0, 1]")
    if positive_label not in model.config.label2id:
        raise ValueError(f"unknown label {positive_label!r}")
    model.eval()
    classify = pipeline("text-classification", model=model, tokenizer=tokenizer)
    totals: Counter[str] = Counter(groups)
    positives: Counter[str] = Counter()
    for group, result in zip(groups, classify(list(texts), batch_size=8), strict=True):
        positives[group] += result["label"] == positive_label
    rates = {group: positives[group] / total for group, total in totals.items()}
    ranked = sorted(rates, key=rates.get)
    gap = rates[ranked[-1]] - rates[ranked[0]]
    report = {"positive_rate": rates, "gap": gap, "max_gap": max_gap, "alert": gap > max_gap}
    logger.info("fairness %s", report, extra={"fairness": report})
    if gap > max_gap:
        logger.warning(
            "groups %s and %s are %.2f apart in positive rate",
            ranked[-1],
            ranked[0],
            gap,
            extra={"fairness": report},
        )
    return report
