"""Kata: constrain generation to a set of allowed words (seed question 67).

Run the checks with:  pytest --katas constrained_generate
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def constrained_generate(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    allowed_words: Sequence[str],
    *,
    max_new_tokens: int = 10,
) -> str:
    """Continue ``prompt`` greedily, using only the tokens of ``allowed_words``.

    The allowed tokens are the token ids of every allowed word, each word tokenized exactly as
    given (no special tokens added). Spaces matter: a byte-level BPE tokenizes ``" cat"`` and
    ``"cat"`` differently. Every new token must be one of them, and nothing else is allowed,
    not even the end-of-text token, so exactly ``max_new_tokens`` tokens are generated. At each
    step the most likely allowed token is chosen (greedy decoding).

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        prompt: the text to continue; must not be empty.
        allowed_words: the words (or any strings) whose tokens may be generated.
        max_new_tokens: how many tokens to generate, at least 1.

    Returns:
        The new text alone: the generated tokens decoded, without the prompt.

    Raises:
        ValueError: if ``prompt`` is empty, if ``allowed_words`` is empty or holds a string
            that has no tokens (such as ``""``), or if ``max_new_tokens`` is less than 1.
    """
    # TODO: turn the words into allowed token ids, generate with prefix_allowed_tokens_fn, decode.
    raise NotImplementedError
