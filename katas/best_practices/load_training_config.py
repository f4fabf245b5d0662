"""Kata: a typed, validated training configuration (seed question 137).

Run the checks with:  pytest --katas load_training_config
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class TrainingConfig:
    """The settings of a fine-tuning run, with their types and defaults.

    You may validate here, in a ``__post_init__`` method, or in ``load_training_config``.
    """

    model_name_or_path: str
    output_dir: str = "outputs"
    learning_rate: float = 5e-5
    per_device_train_batch_size: int = 16
    num_train_epochs: float = 3.0
    max_length: int = 512
    seed: int = 42


def load_training_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> TrainingConfig:
    """Load a run's settings from a JSON file, fill in the defaults and check every value.

    Values come from three places; a later one wins: the defaults of ``TrainingConfig``, the
    file, then ``overrides`` (e.g. from the command line).

    Args:
        path: a JSON file holding an object of settings, e.g.
            ``{"model_name_or_path": "gpt2", "learning_rate": 3e-4}``; or None for no file.
        **overrides: settings that win over the file's.

    Returns:
        A ``TrainingConfig`` whose every field has its declared type: ``str``, ``int``, or
        ``float`` (an int given for a float field, such as ``"num_train_epochs": 2``, is stored
        as a float). A config written with ``json.dump(dataclasses.asdict(config), file)``
        loads back equal.

    Raises:
        ValueError: if a key is not a ``TrainingConfig`` field (a typo must not pass silently),
            if ``model_name_or_path`` is missing or empty, if ``learning_rate``,
            ``num_train_epochs``, ``per_device_train_batch_size`` or ``max_length`` is not
            positive, or if the file does not hold a JSON object. The message names the key.
        TypeError: if a value has the wrong type (``"16"`` for an int, ``true`` for an int or
            float, a number for a str); the message names the key.
        FileNotFoundError: if ``path`` does not exist.
    """
    # TODO: merge defaults, file and overrides, reject unknown keys, check types and values.
    raise NotImplementedError
