"""Decoy for generate_with_pipeline: refuses a prompt of spaces as if it were empty.

caught_by: test_spaces_are_part_of_the_prompt
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
    if not prompt.strip():  # MISTAKE
        raise ValueError("prompt is empty: there is nothing to continue")
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    # A pipeline takes a model object as well as a name: nothing is loaded again.
    generator = pipeline("text-generation", model=model, tokenizer=tokenizer)
    # max_new_tokens, not the seed's max_length (which counts the prompt too). do_sample=False
    # first, so that the caller's settings win and a generation_config that samples does not.
    settings = {"do_sample": False, **generation}
    # return_full_text=False: the pipeline cuts the prompt off the text it returns.
    (result,) = generator(prompt, max_new_tokens=max_new_tokens, return_full_text=False, **settings)
    return result["generated_text"]
