"""Decoy for export_to_onnx: declares the batch dimension dynamic but not the sequence length.

caught_by: test_the_exported_file_takes_two_inputs_of_any_batch_size_and_length
"""

from __future__ import annotations

import os
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
    was_training = model.training
    model.eval()  # no dropout in the exported graph
    try:
        torch.onnx.export(  # dynamo=True, the default: torch.export traces the model
            model,
            (),
            path,
            kwargs={"input_ids": example["input_ids"], "attention_mask": example["attention_mask"]},
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_shapes={"input_ids": {0: batch}, "attention_mask": {0: batch}},  # MISTAKE
            external_data=False,  # one self-contained file
            verbose=False,
        )
    finally:
        model.train(was_training)
    session = onnxruntime.InferenceSession(os.fspath(path), providers=["CPUExecutionProvider"])
    encoded = tokenizer(list(texts), padding=True, return_tensors="np")
    inputs = {name: encoded[name] for name in ("input_ids", "attention_mask")}
    (logits,) = session.run(["logits"], inputs)
    return logits
