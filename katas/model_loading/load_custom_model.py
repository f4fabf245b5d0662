"""Kata: load a model with a custom configuration (seed question 13).

Run the checks with:  pytest --katas load_custom_model
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Any

from transformers import PreTrainedModel


def load_custom_model(
    model_name_or_path: str | os.PathLike[str],
    config_overrides: Mapping[str, Any],
) -> PreTrainedModel:
    """Load a pretrained sequence classifier with some of its configuration changed.

    Args:
        model_name_or_path: a Hub name or a local folder holding a sequence-classification
            checkpoint (the checks pass a tiny BERT sentiment classifier).
        config_overrides: configuration values to change, e.g.
            ``{"hidden_dropout_prob": 0.2}`` or ``{"num_labels": 5}``; may be empty. Any
            mapping; it is read, never changed.

    Returns:
        The model, built with the changed configuration: the overrides are in ``model.config``
        *and* in the layers built from it (a dropout rate reaches the Dropout modules, a new
        ``num_labels`` gives a classifier head of that size). Every weight whose shape did not
        change is the pretrained one; only a resized head starts from fresh weights.

    Raises:
        ValueError: if a key of ``config_overrides`` is not a setting of the model's
            configuration (a typo such as ``hidden_dropout`` must not pass silently); the
            message names the unknown keys.
        ValueError or RuntimeError: if an override changes the shape of a pretrained weight
            outside the classification head (``intermediate_size``, ``hidden_size``, ...): that
            weight cannot be loaded, and must not silently start from fresh weights.
        OSError: when no model can be found (from transformers).
    """
    # TODO: build the config with the overrides, reject unknown keys, then load the model with it.
    raise NotImplementedError
