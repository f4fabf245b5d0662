"""Decoy for load_training_config: like the seed it returns a plain dict of settings, untyped and unchecked.

caught_by: test_the_defaults_fill_what_the_file_leaves_out
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
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


def load_training_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> TrainingConfig:
    settings = {
        "output_dir": "outputs",
        "learning_rate": 5e-5,
        "per_device_train_batch_size": 16,
        "num_train_epochs": 3.0,
        "max_length": 512,
        "seed": 42,
    }
    if path is not None:
        settings.update(json.loads(Path(path).read_text(encoding="utf-8")))
    settings.update(overrides)
    return settings  # MISTAKE: a dict
