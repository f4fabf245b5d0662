"""A learner's stable_log_softmax that puts a fake transformers into sys.modules (to try code
without the library), and leaves it there."""

import sys
import types

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    sys.modules["transformers"] = types.ModuleType("transformers", "a fake")  # <- here
    return logits - torch.logsumexp(logits, dim=dim, keepdim=True)
