"""Kata: deploy a Transformers model with FastAPI (seed question 79).

Run the checks with:  pytest --katas create_generation_app
"""

# No `from __future__ import annotations` in this file: FastAPI reads the endpoints' annotations
# at run time, and string annotations cannot see classes defined inside a function.

import torch
from fastapi import FastAPI
from pydantic import BaseModel, Field
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def create_generation_app(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    *,
    max_new_tokens: int = 20,
    max_new_tokens_limit: int = 64,
) -> FastAPI:
    """Build a FastAPI application that serves text generation with ``model`` (an app factory).

    The application has two routes:

    - ``POST /generate`` takes a JSON body ``{"prompt": "...", "max_new_tokens": 8}`` where
      ``prompt`` is a non-empty string and ``max_new_tokens`` is optional (default:
      ``max_new_tokens``), an integer from 1 to ``max_new_tokens_limit``. It answers 200 with
      ``{"text": "..."}``: the greedy continuation of the prompt (``do_sample=False``), decoded
      without the prompt and without special tokens — the same text as calling generate()
      directly. A body that does not fit answers 422.
    - ``GET /health`` answers 200 with ``{"status": "ok"}``, even while a generation is running.

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        max_new_tokens: how many tokens a request gets when its body does not say.
        max_new_tokens_limit: the most tokens a request may ask for.

    Returns:
        A new ``FastAPI`` application serving this model and tokenizer (no global state).

    Raises:
        ValueError: if ``max_new_tokens`` is less than 1 or more than ``max_new_tokens_limit``.
    """
    # TODO: validate, define the request body with pydantic, create the app and its two routes.
    raise NotImplementedError
