"""Alternative: versions found with glob and str methods, the folder claimed with os.makedirs."""

from __future__ import annotations

import os
from pathlib import Path

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def save_versioned(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    root: str | os.PathLike[str],
    name: str,
    version: int | None = None,
) -> Path:
    if not name or not all(char.isalnum() or char in "_.-" for char in name):
        raise ValueError(f"bad model name {name!r}")
    if version is not None and version < 1:
        raise ValueError("versions start at 1")
    os.makedirs(root, exist_ok=True)
    if version is None:
        prefix = f"{name}-v"
        numbers = [
            int(path.name.removeprefix(prefix))
            for path in Path(root).glob(f"{prefix}*")
            if path.name.removeprefix(prefix).isdigit()
        ]
        version = 1 + max(numbers, default=0)
    target = os.path.join(root, f"{name}-v{version}")
    os.makedirs(target)  # FileExistsError if the version is taken
    model.save_pretrained(target)
    tokenizer.save_pretrained(target)
    return Path(target)
