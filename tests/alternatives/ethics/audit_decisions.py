"""Alternative: a text-classification pipeline, and a LoggerAdapter that attaches the record."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from transformers import PreTrainedModel, PreTrainedTokenizerBase, pipeline


def audit_decisions(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    logger: logging.Logger,
) -> list[dict[str, Any]]:
    if isinstance(texts, str):
        raise TypeError("pass a list of texts, not one string")
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f"not a text: {text!r}")
    if len(texts) == 0:
        raise ValueError("no texts")
    model.eval()  # the pipeline runs the model as it finds it
    classify = pipeline("text-classification", model=model, tokenizer=tokenizer)
    decisions = []
    for text, result in zip(texts, classify(list(texts), batch_size=4, truncation=True), strict=True):
        decision = {
            "input": text,
            "label": result["label"],
            "label_id": model.config.label2id[result["label"]],
            "score": float(result["score"]),
            "model": model.config.name_or_path,
        }
        logging.LoggerAdapter(logger, {"audit": decision}).info("audited %s", decision["label"])
        decisions.append(decision)
    return decisions
