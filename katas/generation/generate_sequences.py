"""Kata: generate several text sequences for one prompt (seed question 61).

Run the checks with:  pytest --katas generate_sequences
"""

from __future__ import annotations

import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase, set_seed


def generate_sequences(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    num_return_sequences: int = 3,
    *,
    max_new_tokens: int = 20,
    num_beams: int = 1,
    seed: int | None = None,
) -> list[str]:
    """Continue ``prompt`` in ``num_return_sequences`` different ways.

    Greedy decoding has only one answer per prompt, so several sequences come either from
    sampling or from beam search:

    * ``num_beams == 1``: sample (``do_sample=True``); when ``seed`` is given, seed torch right
      before generating, so that the same seed always gives the same sequences.
    * ``num_beams > 1``: beam search (no sampling) and return the ``num_return_sequences`` best
      beams, best first. ``seed`` changes nothing then.

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        prompt: the text to continue; must not be empty.
        num_return_sequences: how many sequences to return, at least 1.
        max_new_tokens: how many tokens each sequence adds at most, not counting the prompt.
        num_beams: the beam width; 1 means sampling.
        seed: the seed for sampling, or None to leave torch's random state as it is.

    Returns:
        A list of ``num_return_sequences`` strings, in the order generate() returns them: each
        is only the new text (the prompt left out), decoded without special tokens.

    Raises:
        ValueError: if ``prompt`` is empty, if ``num_return_sequences``, ``max_new_tokens`` or
            ``num_beams`` is less than 1, or if beam search is asked for more sequences than it
            has beams.
    """
    # TODO: validate, tokenize, generate several sequences (sample or beams), decode the new tokens.
    raise NotImplementedError
