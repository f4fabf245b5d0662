"""Kata: monitor a model's fairness and raise an alarm past a bound (seed question 159).

Run the checks with:  pytest --katas monitor_fairness
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
    """Measure how often each group gets the favourable decision; warn when the gap is too big.

    Classify the texts (in evaluation mode; batching must not change a decision), compute each
    group's positive rate (the share of its texts predicted ``positive_label``) and the gap,
    the highest rate minus the lowest. The report is::

        {"positive_rate": {group: rate}, "gap": gap, "max_gap": max_gap, "alert": gap > max_gap}

    Log through ``logger`` (never the root logger): one INFO record with
    ``extra={"fairness": report}`` on every call; and when ``gap > max_gap`` (strictly), one
    WARNING record, with the same extra, whose message names the groups with the highest and
    the lowest rate. No WARNING when the gap is within the bound.

    Args:
        model: a sequence classifier (the checks pass a tiny BERT sentiment classifier).
        tokenizer: its tokenizer.
        texts: the texts the model decides on; one longer than the model's positions is decided
            on its first tokens (truncated to fit).
        groups: the group of each text (a protected attribute of its author, say).
        logger: where the records go.
        positive_label: the name of the favourable class, looked up in ``model.config.label2id``.
        max_gap: the largest acceptable gap between the groups' positive rates, in [0, 1].

    Returns:
        The report above.

    Raises:
        ValueError: if ``texts`` and ``groups`` differ in length or are empty, if
            ``positive_label`` is not a label of the model, or if ``max_gap`` is outside [0, 1].
    """
    # TODO: validate, predict, compute the positive rate of every group, log, and warn past the bound.
    raise NotImplementedError
