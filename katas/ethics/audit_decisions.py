"""Kata: audit a model's decisions with structured log records (seed question 155).

Run the checks with:  pytest --katas audit_decisions
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
    """Classify texts and leave one structured audit record per decision on ``logger``.

    Every decision is a dict of plain, JSON-serialisable values::

        {"input": text, "label": "POSITIVE", "label_id": 1, "score": 0.73,
         "model": model.config.name_or_path}

    where ``score`` is the softmax probability of the chosen label. For each text, in order,
    log one INFO record through ``logger`` (not the root logger; do not configure logging)
    with the decision attached as ``extra={"audit": decision}``, so that handlers read it as
    ``record.audit``; the message is for humans and free. The model decides in evaluation mode
    (no dropout), and batching the texts must not change any decision.

    Args:
        model: a sequence classifier (the checks pass a tiny BERT sentiment classifier).
        tokenizer: its tokenizer.
        texts: the texts to decide on; one longer than the model's positions is decided on its
            first tokens (truncated to fit).
        logger: where the audit records go.

    Returns:
        The decisions, one per text, in order: the same dicts as on the records.

    Raises:
        TypeError: if ``texts`` is a single string, or holds something that is not a string.
        ValueError: if ``texts`` is empty.
    """
    # TODO: validate, classify all texts in one batch, then log one record per decision.
    raise NotImplementedError
