"""Decoy for export_to_onnx: exports into a temporary folder of its own and copies the file to path, leaving the temporary folder behind.

caught_by: test_it_returns_the_onnx_models_logits_and_writes_only_the_file_asked_for
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Sequence

import numpy as np
import onnxruntime
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def export_to_onnx(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    path: str | os.PathLike[str],
    texts: Sequence[str],
) -> np.ndarray:
    if len(texts) == 0:
        raise ValueError("texts is empty: there is nothing to run the exported model on")
    example = tokenizer(["an example", "a longer example text"], padding=True, return_tensors="pt")
    batch, sequence = torch.export.Dim("batch"), torch.export.Dim("sequence")
    exported = os.path.join(tempfile.mkdtemp(), "model.onnx")  # MISTAKE
    was_training = model.training
    model.eval()  # no dropout in the exported graph
    try:
        torch.onnx.export(  # dynamo=True, the default: torch.export traces the model
            model,
            (),
            exported,
            kwargs={"input_ids": example["input_ids"], "attention_mask": example["attention_mask"]},
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_shapes={"input_ids": {0: batch, 1: sequence}, "attention_mask": {0: batch, 1: sequence}},
            external_data=False,  # one self-contained file
        )
    finally:
        model.train(was_training)
    shutil.copy(exported, path)
    session = onnxruntime.InferenceSession(os.fspath(path))
    encoded = tokenizer(list(texts), padding=True, return_tensors="np")
    inputs = {name: encoded[name] for name in ("input_ids", "attention_mask")}
    (logits,) = session.run(["logits"], inputs)
    return logits
