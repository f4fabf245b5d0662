"""Decoy for save_fine_tuned: returns output_dir as it was given, so a str comes back for a str, not a Path.

caught_by: test_a_second_save_replaces_the_first
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
    folder = Path(output_dir)
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is a file: save_pretrained needs a folder")
    # save_pretrained creates the folder, writes config.json (and generation_config.json), and
    # the weights as model.safetensors: safetensors is the default, and the only format that
    # loads without running pickled code. torch.save(model.state_dict()) would give a file that
    # from_pretrained cannot read.
    model.save_pretrained(folder)
    # The tokenizer's files (tokenizer.json, its config and special tokens) go beside it: a
    # pad token or new tokens added during fine-tuning are part of the model now.
    tokenizer.save_pretrained(folder)
    return output_dir  # MISTAKE
