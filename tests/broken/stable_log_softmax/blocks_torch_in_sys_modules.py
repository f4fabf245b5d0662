"""A learner's stable_log_softmax that blocks torch in sys.modules (a trick to test an import
fallback), and forgets to unblock it."""

import sys

import torch


def stable_log_softmax(logits, dim=-1):
    if not isinstance(logits, torch.Tensor) or not logits.is_floating_point():
        raise TypeError("logits must be a floating-point tensor")
    result = logits - torch.logsumexp(logits, dim=dim, keepdim=True)
    sys.modules["torch"] = None  # <- here
    return result
