"""Kata: generation that does not repeat itself (seed question 60).

Run the checks with:  pytest --katas generate_without_repeats
"""

from __future__ import annotations

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def generate_without_repeats(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    no_repeat_ngram_size: int = 3,
    max_new_tokens: int = 30,
) -> str:
    """Continue ``prompt`` greedily, never repeating a run of ``no_repeat_ngram_size`` tokens.

    Small models loop ("the the the ..."). ``model.generate`` can forbid, at each step, every
    token that would complete an n-gram of tokens already present in the sequence (the
    prompt's tokens count too): ``no_repeat_ngram_size``. Decoding is greedy otherwise
    (``do_sample=False``, one beam), whatever the model's generation_config says.

    Args:
        model: a causal language model.
        tokenizer: its tokenizer.
        prompt: the text to continue; not empty.
        no_repeat_ngram_size: the length n of the n-grams of tokens that may occur only once in
            the prompt and continuation together; at least 1 (1: no token twice).
        max_new_tokens: the most new tokens (the continuation may end sooner).

    Returns:
        The new text only: without the prompt, and without special tokens.

    Raises:
        ValueError: if ``prompt`` is empty, or ``no_repeat_ngram_size`` or ``max_new_tokens`` is
            less than 1.
    """
    # TODO: generate greedily with no_repeat_ngram_size, decode only the new tokens.
    raise NotImplementedError
