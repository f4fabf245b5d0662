"""Decoy for audit_decisions: it strips the texts before deciding, so the records do not hold the input as it was given.

caught_by: test_every_text_is_decided_as_given_even_in_a_tuple
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def audit_decisions(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    texts: Sequence[str],
    logger: logging.Logger,
) -> list[dict[str, Any]]:
    # A lone string is a Sequence[str] too: it would be audited one character at a time.
    if isinstance(texts, str) or not all(isinstance(text, str) for text in texts):
        raise TypeError("texts must be a list of strings")
    if not texts:
        raise ValueError("texts must hold at least one text to decide on")

    texts = [text.strip() for text in texts]  # MISTAKE: the input is recorded changed
    # One padded batch: the attention mask keeps the padding from changing any decision.
    inputs = tokenizer(list(texts), padding=True, truncation=True, return_tensors="pt")
    model.eval()  # dropout off: the audited decision is the one the model gives in service
    with torch.no_grad():
        probabilities = model(**inputs).logits.softmax(dim=-1)
    scores, label_ids = probabilities.max(dim=-1)

    decisions = []
    for text, label_id, score in zip(texts, label_ids.tolist(), scores.tolist(), strict=True):
        # Plain Python values only: a JSON formatter or log shipper must be able to serialise it.
        decision = {
            "input": text,
            "label": model.config.id2label[label_id],
            "label_id": label_id,
            "score": score,
            "model": model.config.name_or_path,
        }
        # The logger belongs to the application, which decides where audit records go. extra=
        # puts the dict on the LogRecord (record.audit) for handlers and formatters to read.
        logger.info(
            "decision %s (score %.3f) for %r", decision["label"], score, text, extra={"audit": decision}
        )
        decisions.append(decision)
    return decisions
