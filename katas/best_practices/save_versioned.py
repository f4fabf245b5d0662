"""Kata: save every version of a model, never overwriting one (seed question 141).

Run the checks with:  pytest --katas save_versioned
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def save_versioned(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    root: str | os.PathLike[str],
    name: str,
    version: int | None = None,
) -> Path:
    """Save a model and its tokenizer as a new version, ``<root>/<name>-v<version>``.

    Args:
        model: the model to save.
        tokenizer: its tokenizer, saved in the same folder.
        root: the folder that holds the versions (created if missing). It may hold other
            things too: other names' versions, and entries that are not versions at all.
        name: the model's name, e.g. ``"sentiment"``: letters, digits, ``_``, ``.`` or ``-``.
        version: the version to write, at least 1; None means the next one: one more than
            the highest version of ``name`` in ``root`` (versions may have gaps), or 1 if
            there is none.

    Returns:
        The folder written, e.g. ``root / "sentiment-v3"``; ``from_pretrained`` loads the model
        and the tokenizer from it.

    Raises:
        FileExistsError: if that version exists already; nothing in it is changed.
        ValueError: if ``name`` is empty or holds other characters (such as ``/``), or if
            ``version`` is less than 1.
    """
    # TODO: find the next version (or check the given one), claim its folder, then save into it.
    raise NotImplementedError
