"""Fixtures shared by the best_practices checks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest


@pytest.fixture
def training_args(tmp_path) -> Callable[..., Any]:
    """Build quiet, CPU-only TrainingArguments that write only under tmp_path."""
    from transformers import TrainingArguments

    def make(**settings: Any) -> TrainingArguments:
        quiet = {
            "output_dir": str(tmp_path / "run"),
            "use_cpu": True,
            "report_to": "none",
            "save_strategy": "no",
            "logging_strategy": "no",
            "disable_tqdm": True,
        }
        return TrainingArguments(**{**quiet, **settings})

    return make
