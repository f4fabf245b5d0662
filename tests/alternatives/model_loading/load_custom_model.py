"""Alternative: load the config, check the keys with hasattr, update it, then load the model."""

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
    config.update(dict(config_overrides))
    return AutoModelForSequenceClassification.from_pretrained(
        model_name_or_path, config=config, ignore_mismatched_sizes=True
    )
