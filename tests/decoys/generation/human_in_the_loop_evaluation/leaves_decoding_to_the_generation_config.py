"""Decoy for human_in_the_loop_evaluation: it leaves the decoding to generate()'s defaults, which sample on a model whose generation_config samples, instead of continuing greedily.

caught_by: test_the_defaults_greedy_on_a_sampling_model_20_tokens_scale_1_to_5
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypedDict

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


class Rating(TypedDict):
    """One rated generation."""

    prompt: str
    text: str
    score: int


def human_in_the_loop_evaluation(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    ask: Callable[[str], str],
    *,
    max_new_tokens: int = 20,
    low: int = 1,
    high: int = 5,
    max_attempts: int = 3,
) -> list[Rating]:
    if len(prompts) == 0 or not low < high or max_attempts <= 0:
        raise ValueError("need prompts, low < high and max_attempts >= 1")
    results: list[Rating] = []
    for prompt in prompts:
        ids = torch.tensor([tokenizer.encode(prompt)])
        out = model.generate(
            input_ids=ids, attention_mask=torch.ones_like(ids), max_new_tokens=max_new_tokens
        )
        text = tokenizer.decode(out[0][ids.shape[1] :].tolist(), skip_special_tokens=True)
        attempts, score, answer = 0, None, ""
        while score is None:
            if attempts == max_attempts:
                raise ValueError(f"gave up on {prompt!r}: last answer {answer!r} is not in {low}..{high}")
            answer = ask(
                f"[{low}-{high}] How good is this continuation?\n{prompt!r} -> {text!r}\n{prompt}{text}"
            )
            attempts += 1
            match = re.fullmatch(r"\s*([+-]?\d+)\s*", answer)
            if match and low <= int(match.group(1)) <= high:
                score = int(match.group(1))
        results.append(Rating(prompt=prompt, text=text, score=score))
    return results
