"""Decoy for save_fine_tuned: writes the config and the safetensors weights by hand, so the generation config is not saved.

caught_by: test_the_folder_loads_back_into_the_same_model_and_tokenizer
"""

from __future__ import annotations

import os
from pathlib import Path

from safetensors.torch import save_model
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
    folder.mkdir(parents=True, exist_ok=True)
    model.config.save_pretrained(folder)  # MISTAKE: and no generation config
    save_model(model, str(folder / "model.safetensors"), metadata={"format": "pt"})
    # The tokenizer's files (tokenizer.json, its config and special tokens) go beside it: a
    # pad token or new tokens added during fine-tuning are part of the model now.
    tokenizer.save_pretrained(folder)
    return folder
