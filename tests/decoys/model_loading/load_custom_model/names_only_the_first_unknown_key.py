"""Decoy for load_custom_model: raises at the first unknown key it meets, so a second typo goes unnamed.

caught_by: test_every_unknown_key_is_named_and_the_overrides_are_left_unchanged
"""

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
    for key in config_overrides:
        if not hasattr(config, key):
            raise ValueError(
                f"{key!r} is not a setting of {type(config).__name__}"
            )  # MISTAKE: the first only
    config.update(dict(config_overrides))
    model, report = AutoModelForSequenceClassification.from_pretrained(
        model_name_or_path, config=config, ignore_mismatched_sizes=True, output_loading_info=True
    )
    resized = [key for key, *_ in report["mismatched_keys"] if not key.startswith("classifier.")]
    if resized:
        raise ValueError(f"these overrides resize pretrained weights outside the head: {resized}")
    return model
