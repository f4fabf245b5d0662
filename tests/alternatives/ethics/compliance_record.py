"""Alternative: config.to_dict through JSON, hashlib.file_digest, and package metadata versions."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from importlib.metadata import version
from pathlib import Path
from typing import Any

from transformers import PreTrainedModel


def compliance_record(
    model: PreTrainedModel,
    output_dir: str | os.PathLike[str],
    *,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    if not isinstance(model, PreTrainedModel):
        raise TypeError("model must be a PreTrainedModel")
    metadata_json = json.dumps(dict(metadata) if metadata else {})
    folder = Path(output_dir)
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder)
    with open(folder / "model.safetensors", "rb") as weights:
        digest = hashlib.file_digest(weights, "sha256").hexdigest()
    record = {
        "model_class": model.__class__.__name__,
        "config": model.config.to_dict(),
        "parameter_count": sum(p.numel() for p in model.parameters()),  # unique parameters
        "weights_file": "model.safetensors",
        "weights_sha256": digest,
        "library_versions": {name: version(name) for name in ("transformers", "torch", "safetensors")},
        "metadata": json.loads(metadata_json),
    }
    with open(folder / "compliance.json", "w", encoding="utf-8") as file:
        json.dump(record, file)
    with open(folder / "compliance.json", encoding="utf-8") as file:
        return json.load(file)
