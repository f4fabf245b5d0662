"""Decoy for save_fine_tuned: does not look before saving, so a file in the way gives save_pretrained's own error, not ValueError.

caught_by: test_a_file_in_the_way_raises_value_error_and_is_left_alone
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
    # MISTAKE: a file in the way is not checked
    # save_pretrained creates the folder, writes config.json (and generation_config.json), and
    # the weights as model.safetensors: safetensors is the default, and the only format that
    # loads without running pickled code. torch.save(model.state_dict()) would give a file that
    # from_pretrained cannot read.
    model.save_pretrained(folder)
    # The tokenizer's files (tokenizer.json, its config and special tokens) go beside it: a
    # pad token or new tokens added during fine-tuning are part of the model now.
    tokenizer.save_pretrained(folder)
    return folder
