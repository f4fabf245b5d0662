"""Decoy for human_in_the_loop_evaluation: tests the parsed score with "if score:", so an answer of 0 on a scale that holds it is asked again.

caught_by: test_a_scale_through_zero_and_a_prompt_given_twice
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypedDict

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


class Rating(TypedDict):
    """One rated generation."""

    prompt: str
    text: str
    score: int


def _continue(
    model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, prompt: str, max_new_tokens: int
) -> str:
    inputs = tokenizer(prompt, return_tensors="pt")
    with torch.no_grad():
        outputs = model.generate(**inputs, max_new_tokens=max_new_tokens, do_sample=False)
    return tokenizer.decode(outputs[0, inputs["input_ids"].shape[1] :], skip_special_tokens=True)


def _parse(answer: str, low: int, high: int) -> int | None:
    """The score in ``answer``, or None when it is not a whole number on the scale."""
    try:
        score = int(answer.strip())
    except ValueError:
        return None
    return score if low <= score <= high else None


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
    if not prompts:
        raise ValueError("no prompts to evaluate")
    if low >= high:
        raise ValueError(f"the scale needs low < high, got {low} and {high}")
    if max_attempts < 1:
        raise ValueError(f"max_attempts must be at least 1, got {max_attempts}")
    ratings: list[Rating] = []
    for prompt in prompts:
        text = _continue(model, tokenizer, prompt, max_new_tokens)
        # The human must see what they rate: the prompt, the continuation and the scale.
        question = f"Prompt: {prompt}\nContinuation: {text}\nRate the continuation from {low} to {high}: "
        for _ in range(max_attempts):
            # Injected, not input(): the same code runs in a terminal, a web form or a test.
            answer = ask(question)
            score = _parse(answer, low, high)
            if score:  # MISTAKE: 0 is a score
                break
            question = f"Please answer with a whole number from {low} to {high}.\n{question}"
        else:
            raise ValueError(
                f"no valid rating for {prompt!r} after {max_attempts} attempts; last answer: {answer!r}"
            )
        ratings.append({"prompt": prompt, "text": text, "score": score})
    return ratings
