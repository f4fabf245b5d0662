"""Decoy for monitor_inference: a prompt seen before is answered from a cache instead of being generated again, so a repeated request is no request.

caught_by: test_any_exception_is_a_failed_request_and_latencies_are_kept_exact
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
    if not prompts:
        raise ValueError("prompts must not be empty: there is nothing to monitor")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    if not callable(clock):
        raise TypeError(f"clock must be a callable returning seconds, got {type(clock).__name__}")
    outputs: list[str | None] = []
    latencies: list[float] = []
    errors: list[dict[str, Any]] = []
    cache: dict[str, str] = {}
    for index, prompt in enumerate(prompts):
        if prompt in cache:  # MISTAKE: every prompt is a request, generated again
            start = clock()
            outputs.append(cache[prompt])
            latencies.append(clock() - start)
            continue
        # perf_counter (the default clock) is monotonic; time.time() can jump when the system
        # clock is adjusted and is a poor way to measure durations.
        start = clock()
        try:
            inputs = tokenizer(prompt, return_tensors="pt")
            with torch.no_grad():
                generated = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
            text: str | None = tokenizer.decode(
                generated[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True
            )
        except Exception as error:  # one failed request must not take the service down
            text = None
            errors.append({"index": index, "prompt": prompt, "error": f"{type(error).__name__}: {error}"})
            logger.exception("request %d failed", index)
        finally:
            # Failed requests have a latency too: a timeout that fails after 30 s matters.
            latencies.append(clock() - start)
        outputs.append(text)
        if text is not None:
            cache[prompt] = text
    return {
        "outputs": outputs,
        "latencies": latencies,
        "errors": errors,
        "requests": len(prompts),
        "error_rate": len(errors) / len(prompts),
        "mean_latency": statistics.fmean(latencies),
        "max_latency": max(latencies),
    }
