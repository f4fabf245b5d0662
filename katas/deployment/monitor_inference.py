"""Kata: monitor a deployed model's performance (seed question 83).

Run the checks with:  pytest --katas monitor_inference
"""

from __future__ import annotations

import logging
import statistics
import time
from collections.abc import Callable, Sequence
from typing import Any

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase

logger = logging.getLogger(__name__)


def monitor_inference(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 20,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Serve ``prompts`` one request at a time, recording each request's latency and any error.

    Each request is a greedy generation (``do_sample=False``) of ``max_new_tokens`` tokens at
    most. A request that raises an exception does not stop the others: it is recorded, and
    logged once at ERROR level (``logger.exception``).

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        prompts: the requests, served in order.
        max_new_tokens: how many tokens each request generates at most.
        clock: returns the current time in seconds; use it, and only it, to measure durations.

    Returns:
        A dict with:

        - ``"outputs"``: per prompt, the continuation (new tokens only, decoded without special
          tokens), or None if the request failed;
        - ``"latencies"``: per prompt, the seconds the request took by ``clock`` — failed
          requests included;
        - ``"errors"``: one dict per failed request, in order: ``{"index": i, "prompt": prompt,
          "error": "RuntimeError: the message"}`` (the exception's class name, ": ", its message);
        - ``"requests"``: the number of prompts;
        - ``"error_rate"``: failed requests / requests;
        - ``"mean_latency"`` and ``"max_latency"``: over all the latencies.

    Raises:
        ValueError: if ``prompts`` is empty or ``max_new_tokens`` is less than 1.
        TypeError: if ``clock`` is not callable.
    """
    # TODO: validate, then time each request with clock() and record its output or its error.
    raise NotImplementedError
