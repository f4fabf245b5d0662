"""Decoy for save_versioned: its name pattern leaves out '.', so a valid name such as 'bert.en' is refused.

caught_by: test_a_name_with_dots_dashes_and_underscores_is_taken_literally
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from transformers import PreTrainedModel, PreTrainedTokenizerBase

_NAME = re.compile(r"[A-Za-z0-9_-]+")  # MISTAKE: "." is allowed too


def save_versioned(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    root: str | os.PathLike[str],
    name: str,
    version: int | None = None,
) -> Path:
    if not _NAME.fullmatch(name):
        raise ValueError(f"name must be letters, digits, '_', '.' or '-', got {name!r}")
    if version is not None and version < 1:
        raise ValueError(f"version must be at least 1, got {version}")
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    if version is None:
        # Compare versions as integers: as strings "v10" sorts before "v9".
        pattern = re.compile(rf"{re.escape(name)}-v(\d+)")
        found = [int(match[1]) for entry in root.iterdir() if (match := pattern.fullmatch(entry.name))]
        version = max(found, default=0) + 1
    folder = root / f"{name}-v{version}"
    # mkdir without exist_ok claims the version atomically: if it exists (or another process
    # has just made it), FileExistsError is raised before anything is written.
    folder.mkdir()
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
