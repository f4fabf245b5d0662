"""Kata: a Transformers encoder inside your own PyTorch module (seed question 163).

Run the checks with:  pytest --katas build_classifier
"""

from __future__ import annotations

import os

import torch
from torch import nn


def build_classifier(
    model_name_or_path: str | os.PathLike[str],
    num_labels: int,
    *,
    dropout: float = 0.1,
) -> nn.Module:
    """Wrap a pretrained encoder in a ``torch.nn.Module`` of your own with a new classification head.

    The module has two attributes: ``encoder``, the pretrained model loaded with
    ``AutoModel.from_pretrained`` (the bare encoder, its pretrained weights), and ``head``, a
    new ``nn.Linear`` from the encoder's ``hidden_size`` to ``num_labels``. Its
    ``forward(input_ids, attention_mask=None)`` returns the logits, a tensor of shape
    ``(batch, num_labels)``: the head applied, after an ``nn.Dropout(dropout)``, to the
    encoder's last hidden state of the first token (``[CLS]``). The attention mask, when given,
    goes to the encoder, so padding does not change a row's logits. Every parameter is
    trainable, so that one optimizer trains encoder and head end to end.

    Args:
        model_name_or_path: a Hub name or local folder of an encoder (the checks pass tiny BERT
            models).
        num_labels: the number of classes, at least 1.
        dropout: the dropout rate before the head, from 0 to 1.

    Returns:
        The module, in training mode (as a new module is).

    Raises:
        ValueError: if ``num_labels`` is less than 1, or ``dropout`` is not within [0, 1].
    """
    # TODO: an nn.Module with an AutoModel encoder and a Linear head on the first token's state.
    raise NotImplementedError
