"""Kata: batch inference for deployment (seed question 81).

Run the checks with:  pytest --katas batch_generate
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def batch_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompts: Sequence[str],
    *,
    max_new_tokens: int = 20,
    batch_size: int = 8,
) -> list[str]:
    """Continue every prompt greedily, ``batch_size`` prompts per call to ``model.generate``.

    Args:
        model: a decoder-only causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer. It may have no pad token (GPT-2's has none), and it pads on the
            right by default. It is left unchanged (its padding side, its pad token): a server
            shares it between requests.
        prompts: the texts to continue, each non-empty; they may differ a lot in length.
        max_new_tokens: how many tokens to generate at most for each prompt.
        batch_size: how many prompts go into one call to ``model.generate``.

    Returns:
        One continuation per prompt, in the order of the prompts: the new tokens only, decoded
        without special tokens. Each equals what greedy generation of that prompt *on its own*
        gives. No prompts give an empty list.

    Raises:
        ValueError: if a prompt is empty, ``batch_size`` is less than 1 or ``max_new_tokens`` is
            less than 1.
    """
    # TODO: validate, prepare the tokenizer for padding, then generate and decode batch by batch.
    raise NotImplementedError
