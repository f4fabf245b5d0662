"""Alternative: a small timing context manager and a dataclass of records, summarised at the end."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from transformers import PreTrainedModel, PreTrainedTokenizerBase

log = logging.getLogger("inference.monitor")


@dataclass
class _Records:
    outputs: list[str | None] = field(default_factory=list)
    latencies: list[float] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)


@contextmanager
def _timed(clock: Callable[[], float], latencies: list[float]) -> Iterator[None]:
    started = clock()
    try:
        yield
    finally:
        latencies.append(clock() - started)


def monitor_inference(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 20,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    if not callable(clock):
        raise TypeError("clock must be callable")
    if len(prompts) == 0 or max_new_tokens < 1:
        raise ValueError("need at least one prompt and max_new_tokens >= 1")
    records = _Records()
    for i, prompt in enumerate(prompts):
        try:
            with _timed(clock, records.latencies):
                ids = tokenizer(prompt, return_tensors="pt").input_ids
                generated = model.generate(input_ids=ids, max_new_tokens=max_new_tokens, do_sample=False)
        except Exception as exc:
            log.error("request %s (%r) failed: %s", i, prompt, exc, exc_info=True)
            records.errors.append({"index": i, "prompt": prompt, "error": f"{exc.__class__.__name__}: {exc}"})
            records.outputs.append(None)
        else:
            records.outputs.append(tokenizer.decode(generated[0][ids.shape[-1] :], skip_special_tokens=True))
    n = len(prompts)
    return {
        "outputs": records.outputs,
        "latencies": records.latencies,
        "errors": records.errors,
        "requests": n,
        "error_rate": len(records.errors) / n,
        "mean_latency": sum(records.latencies) / n,
        "max_latency": max(records.latencies),
    }
