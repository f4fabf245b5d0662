"""Decoy for load_custom_model: pops num_labels out of the caller's overrides to pass it on its own, which changes the caller's dict (and fails on a read-only Mapping).

caught_by: test_a_new_number_of_labels_gets_a_new_head_and_keeps_the_encoder
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
    num_labels = config_overrides.pop("num_labels", None)  # MISTAKE: the caller's dict
    config, unused = AutoConfig.from_pretrained(
        model_name_or_path, **config_overrides, return_unused_kwargs=True
    )
    if unused:
        raise ValueError(f"unknown configuration keys: {sorted(unused)}")
    if num_labels is not None:
        config.num_labels = num_labels
    model, report = AutoModelForSequenceClassification.from_pretrained(
        model_name_or_path, config=config, ignore_mismatched_sizes=True, output_loading_info=True
    )
    resized = [key for key, *_ in report["mismatched_keys"] if not key.startswith("classifier.")]
    if resized:
        raise ValueError(f"these overrides resize pretrained weights outside the head: {resized}")
    return model
