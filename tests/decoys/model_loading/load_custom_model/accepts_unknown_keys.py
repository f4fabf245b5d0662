"""Decoy for load_custom_model: unknown keys are silently added to the config, so a typo such as hidden_dropout changes nothing and raises nothing.

caught_by: test_an_unknown_key_raises_value_error_naming_it
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
    # Keyword arguments that the config does not define come back as "unused" instead of
    # silently becoming new attributes: that is how a typo is caught.
    config = AutoConfig.from_pretrained(model_name_or_path)
    for key, value in config_overrides.items():
        setattr(config, key, value)  # MISTAKE: typos become new attributes
    # The config must be in place when the model is built: layers read their sizes and rates
    # at construction, so editing model.config afterwards would change nothing in them.
    # ignore_mismatched_sizes lets a new num_labels get a freshly initialised head while every
    # other weight is loaded from the checkpoint.
    return AutoModelForSequenceClassification.from_pretrained(
        model_name_or_path, config=config, ignore_mismatched_sizes=True
    )
