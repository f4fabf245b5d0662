"""Kata: text generation with a pipeline (seed question 3).

Run the checks with:  pytest --katas generate_with_pipeline
"""

from __future__ import annotations

from typing import Any

from transformers import PreTrainedModel, PreTrainedTokenizerBase, pipeline


def generate_with_pipeline(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    prompt: str,
    max_new_tokens: int = 20,
    **generation: Any,
) -> str:
    """Continue ``prompt`` with a ``"text-generation"`` pipeline built from ``model`` and ``tokenizer``.

    Args:
        model: a causal language model, already loaded (the checks pass tiny GPT-2 and Llama
            models; nothing is downloaded).
        tokenizer: the model's tokenizer.
        prompt: the text to continue; not empty.
        max_new_tokens: the most tokens to add (the prompt's own tokens do not count); the
            continuation ends sooner when the model writes its end-of-text token.
        **generation: more settings for generation, e.g. ``do_sample=True, top_k=50`` or
            ``num_beams=3``; they win over this function's own settings.

    Returns:
        The new text only: without the prompt, and without special tokens. Decoding is greedy
        (``do_sample=False``) unless ``generation`` asks otherwise, whatever the model's own
        generation_config prefers.

    Raises:
        ValueError: if ``prompt`` is empty or ``max_new_tokens`` is less than 1, before anything
            is generated.
    """
    # TODO: build the pipeline from the model and tokenizer, call it, return only the new text.
    raise NotImplementedError
