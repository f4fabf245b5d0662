"""Decoy for load_custom_model: always loads with ignore_mismatched_sizes=True, so a resized intermediate layer silently starts from fresh weights instead of being refused.

caught_by: test_resizing_a_pretrained_weight_outside_the_head_is_refused[intermediate size]
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
    config, unused = AutoConfig.from_pretrained(
        model_name_or_path, **config_overrides, return_unused_kwargs=True
    )
    if unused:
        raise ValueError(f"unknown configuration keys: {sorted(unused)}")
    return AutoModelForSequenceClassification.from_pretrained(
        model_name_or_path, config=config, ignore_mismatched_sizes=True
    )
