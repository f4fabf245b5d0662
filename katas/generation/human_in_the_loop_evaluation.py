"""Kata: evaluate generated text with a human in the loop (seed question 69).

Run the checks with:  pytest --katas human_in_the_loop_evaluation
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
    """Generate a continuation of each prompt and have a human rate it.

    The human is reached only through ``ask``: it receives a question and returns the answer
    as a string (in a terminal that could be ``input``, in a web app a form, in tests a script).
    The function itself never reads the keyboard.

    For each prompt, in order: continue it greedily, then ask one question that shows the
    prompt, the generated continuation and the scale (``low`` and ``high``). An answer is valid
    when, stripped of surrounding spaces, it is a whole number from ``low`` to ``high``. An
    invalid answer (``"great"``, ``"7"``, ``""`` ...) is asked again, up to ``max_attempts``
    questions per prompt in all.

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        prompts: the prompts to continue and rate; at least one.
        ask: shows a question to the human and returns their answer.
        max_new_tokens: how many tokens each continuation has at most.
        low, high: the rating scale, both included; ``low`` must be less than ``high``.
        max_attempts: how many times to ask for one prompt before giving up, at least 1.

    Returns:
        One ``Rating`` per prompt, in order: ``{"prompt": prompt, "text": continuation,
        "score": score}``, where the text is the new text alone (without the prompt, decoded
        without special tokens) and the score is an int.

    Raises:
        ValueError: if ``prompts`` is empty, if ``low`` is not less than ``high``, if
            ``max_attempts`` is less than 1, or if a prompt got ``max_attempts`` invalid
            answers (the message quotes the last one).
    """
    # TODO: validate; for each prompt generate, ask, re-ask invalid answers, collect the ratings.
    raise NotImplementedError
