"""Decoy for load_training_config: checks `value <= 0`, which is False for NaN, so a file with "learning_rate": NaN loads although NaN is not positive.

caught_by: test_a_bad_file_is_refused_naming_the_key
"""

from __future__ import annotations

import dataclasses
import json
import os
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transformers import HfArgumentParser


@dataclass
class TrainingConfig:
    """The settings of a fine-tuning run, with their types and defaults."""

    model_name_or_path: str
    output_dir: str = "outputs"
    learning_rate: float = 5e-5
    per_device_train_batch_size: int = 16
    num_train_epochs: float = 3.0
    max_length: int = 512
    seed: int = 42

    def __post_init__(self) -> None:
        # Validation in __post_init__ means no TrainingConfig can exist with a bad value, however
        # it was made (by hand, by HfArgumentParser, or by dataclasses.replace).
        for field in dataclasses.fields(self):
            setattr(self, field.name, _typed(field.name, getattr(self, field.name), _TYPES[field.name]))
        if not self.model_name_or_path:
            raise ValueError("model_name_or_path must not be empty")
        for name in ("learning_rate", "num_train_epochs", "per_device_train_batch_size", "max_length"):
            if getattr(self, name) <= 0:  # MISTAKE: NaN <= 0 is False, so NaN passes
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")


def _typed(name: str, value: Any, expected: type) -> Any:
    # bool is a subclass of int: `true` in a file is not a batch size.
    if isinstance(value, bool) or not isinstance(value, (int, float) if expected is float else expected):
        raise TypeError(f"{name} must be {expected.__name__}, got {type(value).__name__} {value!r}")
    return float(value) if expected is float else value


#: The fields' types as classes (the annotations are strings under `from __future__ import annotations`).
_TYPES = typing.get_type_hints(TrainingConfig)


def load_training_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> TrainingConfig:
    values: dict[str, Any] = {}
    if path is not None:
        loaded = json.loads(Path(path).read_text(encoding="utf-8"))
        if not isinstance(loaded, dict):
            raise ValueError(f"{path} must hold a JSON object of settings, not a {type(loaded).__name__}")
        values.update(loaded)
    values.update(overrides)  # later sources win; the dataclass supplies the defaults
    if "model_name_or_path" not in values:
        raise ValueError("model_name_or_path is required: give it in the file or as an override")
    # HfArgumentParser (the parser of transformers' example scripts) builds the dataclass and
    # refuses keys that no field takes, instead of silently dropping a typo.
    (config,) = HfArgumentParser(TrainingConfig).parse_dict(values, allow_extra_keys=False)
    return config
