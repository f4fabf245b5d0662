"""Alternative: load the config, check the keys with hasattr, update it, then load the model, allowing
mismatched sizes only when the head is resized (and checking that nothing else was)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from transformers import AutoConfig, AutoModelForSequenceClassification, PreTrainedModel


def load_custom_model(
    model_name_or_path: str | os.PathLike[str],
    config_overrides: Mapping[str, Any],
) -> PreTrainedModel:
    config = AutoConfig.from_pretrained(model_name_or_path)
    unknown = [key for key in config_overrides if not hasattr(config, key)]
    if unknown:
        raise ValueError(f"not config settings: {', '.join(unknown)}")
    new_head = config_overrides.get("num_labels", config.num_labels) != config.num_labels
    config.update(dict(config_overrides))
    if not new_head:  # nothing may be resized: transformers raises RuntimeError on a size mismatch
        return AutoModelForSequenceClassification.from_pretrained(model_name_or_path, config=config)
    model, info = AutoModelForSequenceClassification.from_pretrained(
        model_name_or_path, config=config, ignore_mismatched_sizes=True, output_loading_info=True
    )
    resized = [key for key, *_ in info["mismatched_keys"] if not key.startswith("classifier.")]
    if resized:
        raise RuntimeError(f"size mismatch outside the head: {resized}")
    return model
