"""Decoy for export_for_serving: leaves out only temperature and top_k for greedy serving, keeping top_p and min_p.

caught_by: test_a_greedy_export_leaves_out_every_sampling_setting_and_keeps_the_others
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

from transformers import PreTrainedModel, PreTrainedTokenizerBase

#: The settings that only sampling reads; a greedy generation_config must not carry them.
SAMPLING_SETTINGS = ("temperature", "top_k")  # MISTAKE: top_p, min_p, ... kept


def export_for_serving(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    output_dir: str | os.PathLike[str],
    *,
    max_new_tokens: int = 64,
    do_sample: bool = False,
) -> Path:
    folder = Path(output_dir)
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be at least 1, got {max_new_tokens}")
    if folder.exists() and not folder.is_dir():
        raise ValueError(f"{folder} is a file, not a folder")
    # Copies: the caller's model and tokenizer keep their own settings.
    tokenizer = copy.deepcopy(tokenizer)
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    generation = copy.deepcopy(model.generation_config)
    generation.max_new_tokens = max_new_tokens
    generation.do_sample = do_sample
    if not do_sample:
        for name in SAMPLING_SETTINGS:  # None is "not set" in transformers 5
            setattr(generation, name, None)
    generation.pad_token_id = tokenizer.pad_token_id
    model.save_pretrained(folder)  # config.json, model.safetensors, the model's generation_config
    generation.save_pretrained(folder)  # then replaced by the serving one (it is validated here)
    tokenizer.save_pretrained(folder)
    return folder
