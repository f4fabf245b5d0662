"""Decoy for load_custom_model: it changes model.config after the model is built, so the layers (dropout rates, head size) never see the change.

caught_by: test_a_dropout_override_reaches_the_layers
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
    config, unused = AutoConfig.from_pretrained(
        model_name_or_path, **config_overrides, return_unused_kwargs=True
    )
    if unused:
        raise ValueError(f"unknown configuration keys for {config.model_type}: {sorted(unused)}")
    # The config must be in place when the model is built: layers read their sizes and rates
    # at construction, so editing model.config afterwards would change nothing in them.
    # ignore_mismatched_sizes lets a new num_labels get a freshly initialised head while every
    # other weight is loaded from the checkpoint.
    model = AutoModelForSequenceClassification.from_pretrained(model_name_or_path)
    model.config.update(dict(config_overrides))  # MISTAKE: too late for the layers
    return model
