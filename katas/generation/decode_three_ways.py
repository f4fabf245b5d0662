"""Kata: greedy search, beam search and sampling side by side (seed questions 56 and 58).

Run the checks with:  pytest --katas decode_three_ways
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def decode_three_ways(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    max_new_tokens: int = 20,
    num_beams: int = 4,
    temperature: float = 0.7,
    seed: int = 0,
) -> dict[str, str]:
    """Continue ``prompt`` three ways with ``model.generate``, to compare them.

    - ``"greedy"``: the most likely token at each step (``do_sample=False``, one beam);
    - ``"beam"``: beam search with ``num_beams`` beams (``do_sample=False``);
    - ``"sampled"``: sampling (``do_sample=True``) at ``temperature``, with torch's random
      generator seeded with ``seed`` right before (``transformers.set_seed(seed)``); the other
      sampling settings are the model's own (its generation_config's ``top_k``, ``top_p``).

    Each is asked for explicitly: the model's generation_config may sample by default.

    Args:
        model: a causal language model.
        tokenizer: its tokenizer.
        prompt: the text to continue; not empty.
        max_new_tokens: the most new tokens of each continuation (they may end sooner, at the
            end-of-text token).
        num_beams: the beams of the beam search, at least 2 (one beam is greedy search).
        temperature: the sampling temperature, more than 0 (lower is more conservative).
        seed: the seed of the sampled continuation: the same seed gives the same text.

    Returns:
        ``{"greedy": ..., "beam": ..., "sampled": ...}``: each the new text only, without the
        prompt and without special tokens.

    Raises:
        ValueError: if ``prompt`` is empty, ``max_new_tokens`` is less than 1, ``num_beams`` is
            less than 2, or ``temperature`` is not more than 0; before generating anything.
    """
    # TODO: tokenize the prompt, generate three times with the right settings, decode the new tokens.
    raise NotImplementedError
