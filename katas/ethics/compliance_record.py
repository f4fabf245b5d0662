"""Kata: write a verifiable compliance record for a model (seed question 161).

Run the checks with:  pytest --katas compliance_record
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import torch
import transformers
from transformers import PreTrainedModel


def compliance_record(
    model: PreTrainedModel,
    output_dir: str | os.PathLike[str],
    *,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """Save a model and a record that lets an auditor verify exactly what was shipped.

    Save the model with ``save_pretrained(output_dir)`` (safetensors), then write
    ``output_dir/compliance.json`` holding at least:

    - ``"model_class"``: the model's class name, e.g. ``"GPT2LMHeadModel"``;
    - ``"config"``: the model's full configuration as JSON (every setting, not only the ones
      that differ from the defaults);
    - ``"parameter_count"``: the number of parameters, a weight shared by two layers (tied
      embeddings) counted once;
    - ``"weights_file"``: ``"model.safetensors"``, and ``"weights_sha256"``: the SHA-256 hex
      digest of that file as saved in ``output_dir``;
    - ``"library_versions"``: at least ``{"transformers": ..., "torch": ...}``, their
      ``__version__`` strings;
    - ``"metadata"``: ``metadata`` (``{}`` when None).

    Other keys (a timestamp, say) are welcome. ``str(model)`` is not a record: it cannot tell
    two models with different weights apart.

    Args:
        model: the model to record (the checks pass tiny GPT-2 and BERT models).
        output_dir: the folder to save into; created if missing.
        metadata: extra JSON-serialisable facts (owner, intended use, ...).

    Returns:
        The record exactly as ``json.load`` reads it back from ``compliance.json``.

    Raises:
        TypeError: if ``model`` is not a ``PreTrainedModel``, or ``metadata`` is not
            JSON-serialisable; in both cases before anything is written.
    """
    # TODO: save the model, hash its weights file, and write the record as JSON.
    raise NotImplementedError
