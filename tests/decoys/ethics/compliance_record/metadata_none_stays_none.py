"""Decoy for compliance_record: stores metadata as given, so no metadata is recorded as null instead of {}.

caught_by: test_the_hash_is_the_sha256_of_the_saved_weights
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch
import transformers
from transformers import PreTrainedModel

WEIGHTS_FILE = "model.safetensors"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        for chunk in iter(lambda: file.read(1 << 20), b""):  # weights can be gigabytes
            digest.update(chunk)
    return digest.hexdigest()


def compliance_record(
    model: PreTrainedModel,
    output_dir: str | os.PathLike[str],
    *,
    metadata: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    if not isinstance(model, PreTrainedModel):
        raise TypeError(f"expected a transformers PreTrainedModel, got {type(model).__name__}")
    extra = dict(metadata or {})
    json.dumps(extra)  # TypeError now, before anything is written, if it is not JSON-ready

    folder = Path(output_dir)
    # The record describes the artefact that ships: save it, then hash the bytes on disk.
    model.save_pretrained(folder)
    record = {
        "model_class": type(model).__name__,
        # The full config (use_diff=False), as JSON: id2label's int keys become strings.
        "config": json.loads(model.config.to_json_string(use_diff=False)),
        # parameters() yields a tied (shared) weight once; a state_dict lists it under each name.
        "parameter_count": model.num_parameters(),
        "weights_file": WEIGHTS_FILE,
        "weights_sha256": sha256_of(folder / WEIGHTS_FILE),
        "library_versions": {
            "transformers": transformers.__version__,
            "torch": torch.__version__,
            "python": platform.python_version(),
        },
        "created_at": datetime.now(UTC).isoformat(),
        "metadata": metadata,  # MISTAKE: None becomes null, not {}
    }
    text = json.dumps(record, indent=2, sort_keys=True)
    (folder / "compliance.json").write_text(text + "\n", encoding="utf-8")
    # Return what an auditor will read back from the file, not a look-alike with int keys.
    return json.loads(text)
