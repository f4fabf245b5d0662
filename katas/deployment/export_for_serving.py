"""Kata: save a model for deployment, and load it back (seed questions 74 and 75).

Run the checks with:  pytest --katas export_for_serving
"""

from __future__ import annotations

import os
from pathlib import Path

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def export_for_serving(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    output_dir: str | os.PathLike[str],
    *,
    max_new_tokens: int = 64,
    do_sample: bool = False,
) -> Path:
    """Write a folder that a server loads with ``from_pretrained`` and serves with a plain
    ``model.generate(**inputs)``: the serving settings travel with the model.

    The folder holds the model (config and ``model.safetensors``), its tokenizer, and a
    ``generation_config.json`` whose settings are the serving defaults:

    - ``max_new_tokens`` and ``do_sample`` as given; the model's other generation settings are
      kept, except that with ``do_sample=False`` its sampling settings (``temperature``,
      ``top_k``, ``top_p``, ...) are left out: transformers 5 refuses to save them beside
      greedy decoding;
    - ``pad_token_id``: the tokenizer's pad token, or its end-of-sequence token when it has
      none, so that a batch generates without warnings.

    The saved tokenizer has a pad token (its own, or its end-of-sequence token when it has
    none), so that a server can pad a batch of prompts (on the left, per call:
    ``tokenizer(prompts, padding=True, padding_side="left")``).

    Args:
        model: a causal language model; left as it is (its own generation_config included).
        tokenizer: its tokenizer; left as it is.
        output_dir: the folder; created if missing.
        max_new_tokens: the serving default for new tokens, at least 1.
        do_sample: the serving default for sampling.

    Returns:
        ``output_dir`` as a ``pathlib.Path``.

    Raises:
        ValueError: if ``max_new_tokens`` is less than 1, or ``output_dir`` is a file; before
            anything is written.
    """
    # TODO: save the model and a tokenizer copy, then a generation_config with the serving defaults.
    raise NotImplementedError
