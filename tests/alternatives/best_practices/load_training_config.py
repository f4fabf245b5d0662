"""Alternative: by hand, with dataclasses.replace over the defaults and the checks in the loader."""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass
from typing import Any


@dataclass
class TrainingConfig:
    model_name_or_path: str
    output_dir: str = "outputs"
    learning_rate: float = 5e-5
    per_device_train_batch_size: int = 16
    num_train_epochs: float = 3.0
    max_length: int = 512
    seed: int = 42


FIELD_TYPES = {"model_name_or_path": str, "output_dir": str, "learning_rate": float}
FIELD_TYPES |= {"per_device_train_batch_size": int, "num_train_epochs": float, "max_length": int, "seed": int}
POSITIVE = ("learning_rate", "per_device_train_batch_size", "num_train_epochs", "max_length")


def load_training_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> TrainingConfig:
    values = {}
    if path is not None:
        with open(path, encoding="utf-8") as file:
            values = json.load(file)
        if type(values) is not dict:
            raise ValueError("the config file must contain a JSON object")
    values = {**values, **overrides}
    unknown = sorted(set(values) - set(FIELD_TYPES))
    if unknown:
        raise ValueError(f"unknown settings: {unknown}")
    for key, value in values.items():
        wanted = FIELD_TYPES[key]
        accepted = (int, float) if wanted is float else (wanted,)
        if type(value) not in accepted:
            raise TypeError(f"{key}={value!r} should be a {wanted.__name__}")
        values[key] = wanted(value)
    if not values.get("model_name_or_path"):
        raise ValueError("a model_name_or_path is needed")
    for key in POSITIVE:
        if key in values and not values[key] > 0:  # NaN is not positive either
            raise ValueError(f"{key} must be > 0")
    return dataclasses.replace(TrainingConfig(model_name_or_path="?"), **values)
