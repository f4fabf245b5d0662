"""Kata: save a fine-tuned model so that it loads back (seed question 41).

Run the checks with:  pytest --katas save_fine_tuned
"""

from __future__ import annotations

import os
from pathlib import Path

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def save_fine_tuned(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    output_dir: str | os.PathLike[str],
) -> Path:
    """Save ``model`` and ``tokenizer`` into ``output_dir``, ready for ``from_pretrained``.

    The model is saved as it is now (its fine-tuned weights, not the checkpoint it started
    from), in the safetensors format (``model.safetensors``, never a pickled
    ``pytorch_model.bin``), with its config (and generation config, if it has one). The
    tokenizer goes into the same folder with everything that was added to it (a pad token, new
    tokens). ``AutoModel...from_pretrained(output_dir)`` and
    ``AutoTokenizer.from_pretrained(output_dir)`` then give the same model and tokenizer back.

    Args:
        model: the fine-tuned model; left as it is (weights, dtype, training mode).
        tokenizer: its tokenizer; left as it is.
        output_dir: the folder; created, with its parents, if it does not exist; files of an
            earlier save there are replaced.

    Returns:
        ``output_dir`` as a ``pathlib.Path``.

    Raises:
        ValueError: if ``output_dir`` is a file, not a folder; nothing is written then.
    """
    # TODO: save the model and the tokenizer with save_pretrained into one folder.
    raise NotImplementedError
