"""Reference solution: load_custom_model (seed question 13)."""

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
    # other weight is loaded from the checkpoint. It would let any other resized weight start
    # fresh just as silently: the loading report says which weights did not fit.
    model, report = AutoModelForSequenceClassification.from_pretrained(
        model_name_or_path, config=config, ignore_mismatched_sizes=True, output_loading_info=True
    )
    body = f"{model.base_model_prefix}."  # the pretrained encoder; the rest is the head
    resized = sorted(key for key, *_ in report["mismatched_keys"] if key.startswith(body))
    if resized:
        raise ValueError(
            f"these overrides resize pretrained weights outside the classification head, which "
            f"would start from fresh weights: {resized[:4]}{' ...' if len(resized) > 4 else ''}"
        )
    return model
