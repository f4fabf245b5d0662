"""A learner's stable_log_softmax that moves into the temporary folder to write a debugging dump,
and stays there."""

import os
import tempfile

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    os.chdir(tempfile.gettempdir())  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
