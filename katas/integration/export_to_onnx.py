"""Kata: export a classifier to ONNX and run it with ONNX Runtime (seed question 168).

Run the checks with:  pytest --katas export_to_onnx
"""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np
from transformers import PreTrainedModel, PreTrainedTokenizerBase


def export_to_onnx(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    path: str | os.PathLike[str],
    texts: Sequence[str],
) -> np.ndarray:
    """Export a sequence classifier to an ONNX file, then run that file with ONNX Runtime.

    Export with ``torch.onnx.export`` (in torch 2.13 its default is the ``torch.export``-based
    exporter; the older TorchScript one is still there) so that the ONNX graph:

    - takes exactly two inputs, named ``input_ids`` and ``attention_mask`` (int64, shape
      ``(batch, sequence)``), with the batch size and the sequence length both dynamic: any batch
      size and any length work, not only those of the example the export traced;
    - has the output ``logits`` (float32, shape ``(batch, num_labels)``);
    - computes what the model computes in evaluation mode (no dropout).

    Then open ``path`` with ``onnxruntime.InferenceSession`` and run it on ``texts``, tokenized by
    ``tokenizer`` with padding.

    Args:
        model: a sequence classifier (the checks pass BERT-style ones); exported in evaluation
            mode and left in the mode it was given in, its weights unchanged.
        tokenizer: the model's tokenizer; not changed.
        path: where to write the ``.onnx`` file, in a folder that exists. The exporter may keep the
            weights in a second file beside it (the same name plus ``.data``); nothing else is
            written, anywhere.
        texts: one or more texts to run the exported model on, as a list or a tuple.

    Returns:
        The ONNX model's logits for ``texts``, as ONNX Runtime returns them: a float32 numpy array
        of shape ``(len(texts), num_labels)``, row ``i`` for ``texts[i]``.

    Raises:
        ValueError: if ``texts`` is empty, before anything is exported.
    """
    # TODO: eval mode; torch.onnx.export(...) with input/output names and dynamic batch and
    # sequence dimensions; put the mode back; onnxruntime.InferenceSession(path).run(...).
    raise NotImplementedError
