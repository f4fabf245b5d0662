"""Kata: generate text with custom parameters (seed question 9).

Run the checks with:  pytest --katas generate_text
"""

from __future__ import annotations

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def generate_text(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    *,
    max_new_tokens: int = 20,
    num_beams: int = 1,
    do_sample: bool = False,
    temperature: float = 1.0,
    top_p: float = 1.0,
    seed: int | None = None,
) -> str:
    """Continue ``prompt`` with ``model`` and return only the new text.

    The prompt is continued exactly as given (spaces included), and ``model`` is left as it was:
    the settings go to ``generate()`` as arguments, not into ``model.generation_config``.

    Args:
        model: a causal language model (the checks pass a tiny GPT-2).
        tokenizer: its tokenizer.
        prompt: the text to continue; must not be empty (a prompt of spaces is not empty).
        max_new_tokens: how many tokens to generate at most, *not counting the prompt*.
        num_beams: beam search width; 1 means no beam search.
        do_sample: sample from the distribution instead of picking the most likely tokens.
        temperature, top_p: sampling settings, used when ``do_sample`` is true.
        seed: when given (0 included), seed torch's random generator right before generating,
            so that the same seed always gives the same text.

    Returns:
        The generated continuation alone: the new tokens decoded without special tokens, with
        the prompt left out.

    Raises:
        ValueError: if ``prompt`` is empty or ``max_new_tokens`` is less than 1.
    """
    # TODO: validate, tokenize, generate, then decode only the new tokens.
    raise NotImplementedError
