"""Alternative: a new GenerationConfig built from the model's dict, and the model saved from a copy
that carries it (so the folder is written in one save)."""

from __future__ import annotations

import copy
import os
from pathlib import Path

from transformers import GenerationConfig, PreTrainedModel, PreTrainedTokenizerBase


def export_for_serving(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    output_dir: str | os.PathLike[str],
    *,
    max_new_tokens: int = 64,
    do_sample: bool = False,
) -> Path:
    if max_new_tokens <= 0:
        raise ValueError("max_new_tokens must be positive")
    folder = Path(output_dir)
    if folder.is_file():
        raise ValueError("output_dir is a file")
    served_tokenizer = copy.deepcopy(tokenizer)
    served_tokenizer.pad_token = served_tokenizer.pad_token or served_tokenizer.eos_token
    settings = model.generation_config.to_dict()
    if not do_sample:
        for key in ("temperature", "top_k", "top_p", "min_p", "typical_p", "epsilon_cutoff", "eta_cutoff"):
            settings.pop(key, None)
    settings.update(
        max_new_tokens=max_new_tokens, do_sample=do_sample, pad_token_id=served_tokenizer.pad_token_id
    )
    served = copy.deepcopy(model)
    served.generation_config = GenerationConfig(
        **{k: v for k, v in settings.items() if not k.startswith("_")}
    )
    served.save_pretrained(folder)
    served_tokenizer.save_pretrained(folder)
    return folder
