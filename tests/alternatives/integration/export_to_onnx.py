"""Alternative: the TorchScript exporter (dynamo=False) with dynamic_axes, positional inputs, and
the weights left to the default of the exporter."""

from __future__ import annotations

import os
import warnings
from collections.abc import Sequence

import numpy as np
import onnxruntime as ort
import torch
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def export_to_onnx(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    path: str | os.PathLike[str],
    texts: Sequence[str],
) -> np.ndarray:
    if not texts:
        raise ValueError("no texts given")
    encoded = tokenizer(list(texts), padding=True, return_tensors="pt")
    ids, mask = encoded["input_ids"], encoded["attention_mask"]
    mode = model.training
    model.eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter's deprecation and tracer warnings
        torch.onnx.export(
            model,
            (ids, mask),
            str(path),
            input_names=["input_ids", "attention_mask"],
            output_names=["logits"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "sequence"},
                "attention_mask": {0: "batch", 1: "sequence"},
            },
            dynamo=False,
        )
    model.train(mode)
    session = ort.InferenceSession(str(path))
    return session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
