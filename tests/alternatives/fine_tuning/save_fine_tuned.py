"""Alternative: create the folder first, then save each part into it in turn."""

from __future__ import annotations

import os
from pathlib import Path

from transformers import PreTrainedModel, PreTrainedTokenizerBase


def save_fine_tuned(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    output_dir: str | os.PathLike[str],
) -> Path:
    folder = Path(os.fspath(output_dir))
    if folder.is_file():
        raise ValueError("output_dir is a file")
    folder.mkdir(parents=True, exist_ok=True)
    for part in (model, tokenizer):
        part.save_pretrained(str(folder), safe_serialization=True) if part is model else part.save_pretrained(
            str(folder)
        )
    return folder
