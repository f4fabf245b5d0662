"""Kata: real-time inference by streaming text as it is generated (seed question 89).

Run the checks with:  pytest --katas stream_generate
"""

from __future__ import annotations

from collections.abc import Iterator
from threading import Thread

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, TextIteratorStreamer


def stream_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    max_new_tokens: int = 20,
) -> Iterator[str]:
    """Start generating a continuation of ``prompt`` and hand out its text while it is generated.

    Generation is greedy (``do_sample=False``). The first chunks must be available while the
    model is still generating the later tokens, not once everything is done.

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        prompt: the text to continue; must not be empty.
        max_new_tokens: how many tokens to generate at most.

    Returns:
        An iterator of non-empty text chunks (about a word or a line each) whose concatenation is
        exactly the non-streamed greedy continuation: the new tokens only, without special
        tokens. If generation fails, iterating raises that error (it never waits forever).

    Raises:
        ValueError: if ``prompt`` is empty or ``max_new_tokens`` is less than 1 — when the
            function is called, before any chunk is requested.
    """
    # TODO: validate, start model.generate with a TextIteratorStreamer on a thread, yield the text.
    raise NotImplementedError
